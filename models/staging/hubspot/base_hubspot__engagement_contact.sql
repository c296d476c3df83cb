{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The contacts of each engagement, one row per row of Fivetran's engagement_contact. #}
{%- set checked_columns = leadscore.hubspot_source_columns('engagement_contact') -%}

with

source as (
    select * from {{ source('hubspot', 'engagement_contact') }}
),

renamed as (
    select
        -- ids
        cast(engagement_id as {{ dbt.type_string() }}) as engagement_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id

    from source
)

select * from renamed
