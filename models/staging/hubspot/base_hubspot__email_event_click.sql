{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Click events, one row per row of Fivetran's email_event_click (id: that of email_event). #}
{%- set columns = leadscore.hubspot_source_columns('email_event_click') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event_click') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'url', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as url,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'referer', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as referer,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'browser', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as browser,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'ip_address', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as ip_address,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'location', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as location,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'user_agent', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as user_agent

    from source
)

select * from renamed
