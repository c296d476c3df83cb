{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Engagements, one row per row of Fivetran's engagement (since HubSpot's v3 API only id and type). #}
{%- set columns = leadscore.hubspot_source_columns('engagement') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('engagement') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as engagement_id,

        -- strings
        upper(trim({{ leadscore.hubspot_column(columns, 'type') }})) as type

    from source
)

select * from renamed
