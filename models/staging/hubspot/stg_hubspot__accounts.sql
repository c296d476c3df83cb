{{ config(enabled='hubspot' in var('source_systems')) }}
{#- HubSpot companies that are not deleted, in the columns of stg_raw__accounts. A contact's company is
    its property_associatedcompanyid (stg_hubspot__contacts.account_id). #}

with

companies as (
    select * from {{ ref('base_hubspot__company') }}
),

final as (
    select
        -- ids
        account_id,

        -- strings
        account_name,
        domain,
        industry,
        country,
        account_type,
        custom_attributes,
        'hubspot' as source_system,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        is_target_account,

        -- timestamps
        created_at,
        updated_at

    from companies
    where not is_deleted
)

select * from final
