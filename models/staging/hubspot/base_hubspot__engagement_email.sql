{{ config(enabled='hubspot' in var('source_systems')) }}
{#- One-to-one (sales) emails, one row per row of Fivetran's engagement_email. #}
{%- set columns = leadscore.hubspot_source_columns('engagement_email') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('engagement_email') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'engagement_id') }} as {{ dbt.type_string() }}) as engagement_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_email_subject') }} as {{ dbt.type_string() }})), '') as property_hs_email_subject,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_email_direction') }} as {{ dbt.type_string() }})), '') as property_hs_email_direction,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'property_hs_email_status') }} as {{ dbt.type_string() }})), '') as property_hs_email_status,

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
