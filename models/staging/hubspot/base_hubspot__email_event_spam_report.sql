{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Spam report events, one row per row of Fivetran's email_event_spam_report (id: that of email_event). #}
{%- set columns = leadscore.hubspot_source_columns('email_event_spam_report') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event_spam_report') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'ip_address', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as ip_address,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'user_agent', dbt.type_string()) }} as {{ dbt.type_string() }})), '') as user_agent

    from source
)

select * from renamed
