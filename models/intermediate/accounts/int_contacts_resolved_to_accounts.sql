{#- The account each contact belongs to, and how it was found, in this order:
    1. account_id: the contact's CRM account_id, when that account exists;
    2. email_domain: the one account whose domain is the contact's business email domain;
    3. company_name: the one account whose normalised name is the contact's normalised company name;
    otherwise unresolved (e.g. a free-mail contact without a company). A domain or name shared by
    several accounts attaches nobody by that method, and has_ambiguous_match says so when that
    method was tried: guessing would attach contacts to the wrong account. -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

accounts as (
    select * from {{ ref('int_accounts_enriched') }}
),

company_names as (
    select * from {{ ref('int_company_names_normalized') }}
),

domain_accounts as (
    select
        email_domain,
        count(*) as account_count,
        min(account_id) as account_id
    from accounts
    where email_domain is not null
    group by email_domain
),

name_accounts as (
    select
        normalized_company_name,
        count(*) as account_count,
        min(account_id) as account_id
    from accounts
    where normalized_company_name is not null
    group by normalized_company_name
),

candidates as (
    select
        contacts.contact_id,
        contacts.account_id as crm_account_id,
        contacts.email_type,
        contacts.email_domain,
        contacts.company_name,
        company_names.normalized_company_name,
        known_accounts.account_id as known_account_id,
        case when domain_accounts.account_count = 1 then domain_accounts.account_id end as domain_account_id,
        case when name_accounts.account_count = 1 then name_accounts.account_id end as name_account_id,
        coalesce(domain_accounts.account_count > 1, false) as is_domain_ambiguous,
        coalesce(name_accounts.account_count > 1, false) as is_name_ambiguous
    from contacts
    left join accounts as known_accounts
        on contacts.account_id = known_accounts.account_id
    left join company_names
        on contacts.company_name = company_names.company_name
    left join domain_accounts
        on
            contacts.email_type = 'business'
            and contacts.email_domain = domain_accounts.email_domain
    left join name_accounts
        on company_names.normalized_company_name = name_accounts.normalized_company_name
),

final as (
    select
        contact_id,
        crm_account_id,
        coalesce(known_account_id, domain_account_id, name_account_id) as resolved_account_id,
        case
            when known_account_id is not null then 'account_id'
            when domain_account_id is not null then 'email_domain'
            when name_account_id is not null then 'company_name'
            else 'unresolved'
        end as account_resolution,
        crm_account_id is not null and known_account_id is null as has_unknown_crm_account_id,
        known_account_id is null and (
            is_domain_ambiguous or (domain_account_id is null and is_name_ambiguous)
        ) as has_ambiguous_match,
        email_type,
        email_domain,
        company_name,
        normalized_company_name
    from candidates
)

select * from final
