{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Engagements, one row per row of Fivetran's engagement (since HubSpot's v3 API only id and type). #}
{%- set checked_columns = leadscore.hubspot_source_columns('engagement') -%}

with

source as (
    select * from {{ source('hubspot', 'engagement') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as engagement_id,

        -- strings
        upper(trim(type)) as type

    from source
)

select * from renamed
