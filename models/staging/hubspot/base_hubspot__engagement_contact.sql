{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The contacts of each engagement, one row per row of Fivetran's engagement_contact. #}
{%- set columns = leadscore.hubspot_source_columns('engagement_contact') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('engagement_contact') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'engagement_id') }} as {{ dbt.type_string() }}) as engagement_id,
        cast({{ leadscore.hubspot_column(columns, 'contact_id') }} as {{ dbt.type_string() }}) as contact_id

    from source
)

select * from renamed
