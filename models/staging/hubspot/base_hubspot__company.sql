{{ config(enabled='hubspot' in var('source_systems')) }}
{#- One row per row of Fivetran's company table; property columns as in base_hubspot__contact. #}
{%- set columns = leadscore.hubspot_source_columns('company') -%}
{%- set property = leadscore.hubspot_contract_properties('company') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('company') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as account_id,

        -- strings
        {{ leadscore.hubspot_text(columns, property.account_name) }} as account_name,
        lower({{ leadscore.hubspot_text(columns, property.domain) }}) as domain,
        {{ leadscore.hubspot_text(columns, property.industry) }} as industry,
        {{ leadscore.hubspot_text(columns, property.country) }} as country,
        {{ leadscore.hubspot_text(columns, property.state) }} as state,
        {{ leadscore.hubspot_text(columns, property.city) }} as city,
        lower({{ leadscore.hubspot_text(columns, property.account_type) }}) as account_type,
        {{ leadscore.hubspot_custom_attributes(columns, 'company') }} as custom_attributes,

        -- numerics
        cast({{ leadscore.to_integer(leadscore.hubspot_text(columns, property.employee_count)) }} as {{ dbt.type_bigint() }})
            as employee_count,
        {{ leadscore.to_number(leadscore.hubspot_text(columns, property.annual_revenue)) }} as annual_revenue,

        -- booleans
        case lower({{ leadscore.hubspot_text(columns, property.is_target_account) }})
            when 'true' then true when 'false' then false
        end as is_target_account,
        coalesce(
            cast({{ leadscore.hubspot_column(columns, 'is_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}),
            cast({{ leadscore.hubspot_column(columns, '_fivetran_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}),
            false
        ) as is_deleted,

        -- timestamps
        cast({{ leadscore.hubspot_column(columns, property.created_at, dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ leadscore.hubspot_column(columns, property.updated_at, dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as updated_at

    from source
)

select * from renamed
