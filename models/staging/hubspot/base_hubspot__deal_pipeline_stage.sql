{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The stages of the deal pipelines, one row per row of Fivetran's deal_pipeline_stage. HubSpot
    marks a won stage closed_won; a lost one is closed with probability 0. #}
{%- set columns = leadscore.hubspot_source_columns('deal_pipeline_stage') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('deal_pipeline_stage') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'stage_id') }} as {{ dbt.type_string() }}) as deal_pipeline_stage_id,
        cast({{ leadscore.hubspot_column(columns, 'pipeline_id') }} as {{ dbt.type_string() }}) as deal_pipeline_id,

        -- strings
        lower(trim({{ leadscore.hubspot_column(columns, 'label') }})) as stage,

        -- numerics
        cast({{ leadscore.hubspot_column(columns, 'probability', dbt.type_float()) }} as {{ dbt.type_float() }}) as probability,

        -- booleans
        coalesce(cast({{ leadscore.hubspot_column(columns, 'closed_won', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}), false)
            as is_won,
        coalesce(
            cast({{ leadscore.hubspot_column(columns, 'closed_won', dbt.type_boolean()) }} as {{ dbt.type_boolean() }})
            or cast({{ leadscore.hubspot_column(columns, 'probability', dbt.type_float()) }} as {{ dbt.type_float() }}) = 0,
            false
        ) as is_closed,
        coalesce(cast({{ leadscore.hubspot_column(columns, '_fivetran_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}), false)
            as is_deleted

    from source
)

select * from renamed
