{{ config(enabled='hubspot' in var('source_systems')) }}
{#- HubSpot contacts that are leads, in the columns of stg_raw__contacts: neither deleted
    (_fivetran_deleted) nor merged into another contact (stg_hubspot__contact_leads). #}

with

contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

contact_leads as (
    select * from {{ ref('stg_hubspot__contact_leads') }}
),

leads as (
    select contacts.*
    from contacts
    inner join contact_leads
        on contacts.contact_id = contact_leads.contact_id
    where contact_leads.resolution = 'lead'
),

final as (
    select
        -- ids
        contact_id,
        account_id,

        -- strings
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        industry,
        country,
        state,
        city,
        phone,
        lead_source,
        purchase_authority,
        purchase_timeline,
        custom_attributes,
        'hubspot' as source_system,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        uses_competitor,
        cast(null as {{ dbt.type_boolean() }}) as has_marketing_consent,
        cast(null as {{ dbt.type_boolean() }}) as is_do_not_contact,

        -- timestamps
        {# a contact without createdate is known from its first sync #}
        coalesce(created_at, synced_at) as created_at,
        updated_at

    from leads
)

select * from final
