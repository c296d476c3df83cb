{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The contacts of each deal, one row per row of Fivetran's deal_contact. #}
{%- set checked_columns = leadscore.hubspot_source_columns('deal_contact') -%}

with

source as (
    select * from {{ source('hubspot', 'deal_contact') }}
),

renamed as (
    select
        -- ids
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id

    from source
)

select * from renamed
