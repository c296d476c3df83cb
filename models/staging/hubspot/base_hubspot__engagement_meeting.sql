{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Meetings, one row per row of Fivetran's engagement_meeting. #}
{%- set columns = leadscore.hubspot_source_columns('engagement_meeting') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('engagement_meeting') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'engagement_id') }} as {{ dbt.type_string() }}) as engagement_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_meeting_title') }} as {{ dbt.type_string() }})), '') as property_hs_meeting_title,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_meeting_outcome') }} as {{ dbt.type_string() }})), '') as property_hs_meeting_outcome,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_activity_type') }} as {{ dbt.type_string() }})), '') as property_hs_activity_type,

        -- booleans
        coalesce(cast({{ leadscore.hubspot_column(columns, '_fivetran_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}), false)
            as is_deleted,

        -- timestamps
        cast(coalesce(
            {{ leadscore.hubspot_column(columns, 'property_hs_timestamp', dbt.type_timestamp()) }},
            {{ leadscore.hubspot_column(columns, 'property_hs_createdate', dbt.type_timestamp()) }}
        ) as {{ dbt.type_timestamp() }}) as occurred_at,
        cast({{ leadscore.hubspot_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
