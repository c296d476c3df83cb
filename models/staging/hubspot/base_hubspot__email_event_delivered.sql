{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Delivery events, one row per row of Fivetran's email_event_delivered (id: that of email_event). #}
{%- set columns = leadscore.hubspot_source_columns('email_event_delivered') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event_delivered') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'response', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as response,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'smtp_id', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as smtp_id

    from source
)

select * from renamed
