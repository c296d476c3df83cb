{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Subscription status change events, one row per row of Fivetran's email_event_status_change (id: that of email_event). #}
{%- set columns = leadscore.hubspot_source_columns('email_event_status_change') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event_status_change') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'portal_subscription_status', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as portal_subscription_status,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'subscriptions', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as subscriptions,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'source', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as source,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'requested_by', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as requested_by,
        cast({{ leadscore.hubspot_column(columns, 'bounced', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}) as bounced

    from source
)

select * from renamed
