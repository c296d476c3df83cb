{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Bounce events, one row per row of Fivetran's email_event_bounce (id: that of email_event). #}
{%- set columns = leadscore.hubspot_source_columns('email_event_bounce') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event_bounce') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'category', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as category,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'response', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as response,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'status', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as status

    from source
)

select * from renamed
