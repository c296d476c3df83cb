{#- How contacts were attached to accounts: one row per resolution method, in the order they are
    tried, with the contacts it attached (and those it could not), even when there are none. -#}
with

resolution as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

methods as (
    select
        1 as resolution_order,
        'account_id' as account_resolution,
        'The CRM account_id of the contact names a known account' as description
    union all
    select
        2 as resolution_order,
        'email_domain' as account_resolution,
        'The one account whose domain is the business email domain of the contact' as description
    union all
    select
        3 as resolution_order,
        'company_name' as account_resolution,
        'The one account with the normalised company name of the contact' as description
    union all
    select
        4 as resolution_order,
        'unresolved' as account_resolution,
        'No account found (e.g. a free-mail contact without a company)' as description
),

counts as (
    select
        account_resolution,
        count(*) as contact_count,
        sum(case when email_type in ('free', 'disposable') then 1 else 0 end) as free_mail_contact_count,
        sum(case when company_name is null then 1 else 0 end) as without_company_contact_count,
        sum(case when has_unknown_crm_account_id then 1 else 0 end) as unknown_crm_account_id_count,
        sum(case when has_ambiguous_match then 1 else 0 end) as ambiguous_match_count
    from resolution
    group by account_resolution
),

totals as (
    select count(*) as all_contact_count
    from resolution
),

final as (
    select
        methods.resolution_order,
        methods.account_resolution,
        methods.description,
        coalesce(counts.contact_count, 0) as contact_count,
        coalesce(round(100.0 * counts.contact_count / nullif(totals.all_contact_count, 0), 1), 0) as contact_pct,
        coalesce(counts.free_mail_contact_count, 0) as free_mail_contact_count,
        coalesce(counts.without_company_contact_count, 0) as without_company_contact_count,
        coalesce(counts.unknown_crm_account_id_count, 0) as unknown_crm_account_id_count,
        coalesce(counts.ambiguous_match_count, 0) as ambiguous_match_count,
        {{ leadscore.as_of_timestamp() }} as as_of
    from methods
    cross join totals
    left join counts
        on methods.account_resolution = counts.account_resolution
)

select * from final
