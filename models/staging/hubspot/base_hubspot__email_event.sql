{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Every marketing email event, one row per row of Fivetran's email_event. It has no contact id:
    the recipient's address names the contact (stg_hubspot__email_recipients). #}
{%- set columns = leadscore.hubspot_source_columns('email_event') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('email_event') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as email_event_id,
        cast({{ leadscore.hubspot_column(columns, 'email_campaign_id') }} as {{ dbt.type_string() }}) as email_campaign_id,
        cast({{ leadscore.hubspot_column(columns, 'sent_by_id') }} as {{ dbt.type_string() }}) as sent_by_id,

        -- strings
        upper(trim({{ leadscore.hubspot_column(columns, 'type') }})) as type,
        lower({{ leadscore.hubspot_text(columns, 'recipient') }}) as recipient,

        -- booleans
        {# an event HubSpot filtered out (a duplicate, a bot, an internal test) is not scored #}
        coalesce(cast({{ leadscore.hubspot_column(columns, 'filtered_event', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}), false)
            as is_filtered,

        -- timestamps
        cast({{ leadscore.hubspot_column(columns, 'created', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ leadscore.hubspot_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
