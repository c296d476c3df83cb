{{ config(enabled='marketo' in var('source_systems')) }}
{#- Marketo leads as contacts: a lead merged into another (stg_marketo__lead_merges) or deleted
    (a Delete Lead activity, or _fivetran_deleted) is not a contact. Marketo records no explicit
    consent: an unsubscribed lead has has_marketing_consent false, any other true (Marketo's own
    "marketable"); a marketing-suspended lead is do-not-contact. Marketo has no account table:
    account_id is null (docs/sources/marketo.md). -#}
with

leads as (
    select * from {{ ref('base_marketo__lead') }}
),

lead_merges as (
    select * from {{ ref('stg_marketo__lead_merges') }}
),

lead_deletions as (
    select * from {{ ref('base_marketo__activity_delete_lead') }}
),

deleted_lead_ids as (
    select distinct lead_id from lead_deletions
),

live_leads as (
    select leads.*
    from leads
    left join lead_merges
        on leads.lead_id = lead_merges.merged_lead_id
    left join deleted_lead_ids
        on leads.lead_id = deleted_lead_ids.lead_id
    where
        lead_merges.merged_lead_id is null
        and deleted_lead_ids.lead_id is null
        and not leads.is_fivetran_deleted
),

final as (
    select
        -- ids
        lead_id as contact_id,
        cast(null as {{ dbt.type_string() }}) as account_id,

        -- strings
        nullif(lower(trim(email)), '') as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(title), '') as job_title,
        nullif(trim(company), '') as company_name,
        nullif(trim(industry), '') as industry,
        nullif(trim(country), '') as country,
        nullif(trim(state), '') as state,
        nullif(trim(city), '') as city,
        nullif(trim(phone), '') as phone,
        nullif(lower(trim(lead_source)), '') as lead_source,
        cast(null as {{ dbt.type_string() }}) as purchase_authority,
        cast(null as {{ dbt.type_string() }}) as purchase_timeline,
        custom_attributes,

        -- numerics
        number_of_employees as employee_count,
        annual_revenue,

        -- booleans
        cast(null as {{ dbt.type_boolean() }}) as uses_competitor,
        not is_unsubscribed as has_marketing_consent,
        is_marketing_suspended as is_do_not_contact,

        -- timestamps
        created_at,
        updated_at,

        'marketo' as source_system

    from live_leads
)

select * from final
