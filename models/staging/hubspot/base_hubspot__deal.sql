{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Deals, one row per row of Fivetran's deal. #}
{%- set columns = leadscore.hubspot_source_columns('deal') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('deal') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'deal_id') }} as {{ dbt.type_string() }}) as deal_id,
        cast({{ leadscore.hubspot_column(columns, 'deal_pipeline_id') }} as {{ dbt.type_string() }}) as deal_pipeline_id,
        cast({{ leadscore.hubspot_column(columns, 'deal_pipeline_stage_id') }} as {{ dbt.type_string() }}) as deal_pipeline_stage_id,

        -- strings
        {{ leadscore.hubspot_text(columns, 'property_dealname') }} as deal_name,

        -- numerics
        {{ leadscore.to_number(leadscore.hubspot_text(columns, 'property_amount')) }} as amount,

        -- booleans
        coalesce(
            cast({{ leadscore.hubspot_column(columns, 'is_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}),
            cast({{ leadscore.hubspot_column(columns, '_fivetran_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}),
            false
        ) as is_deleted,

        -- timestamps
        cast({{ leadscore.hubspot_column(columns, 'property_createdate', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ leadscore.hubspot_column(columns, 'property_closedate', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as close_date

    from source
)

select * from renamed
