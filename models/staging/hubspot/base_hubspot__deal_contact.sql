{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The contacts of each deal, one row per row of Fivetran's deal_contact. #}
{%- set columns = leadscore.hubspot_source_columns('deal_contact') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('deal_contact') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'deal_id') }} as {{ dbt.type_string() }}) as deal_id,
        cast({{ leadscore.hubspot_column(columns, 'contact_id') }} as {{ dbt.type_string() }}) as contact_id

    from source
)

select * from renamed
