{{ config(enabled='rudderstack' in var('source_systems')) }}
{#- A tracker holds no CRM accounts: typed like every system's accounts, with no rows. -#}
select
    -- ids
    cast(null as {{ dbt.type_string() }}) as account_id,

    -- strings
    cast(null as {{ dbt.type_string() }}) as account_name,
    cast(null as {{ dbt.type_string() }}) as domain,
    cast(null as {{ dbt.type_string() }}) as industry,
    cast(null as {{ dbt.type_string() }}) as country,
    cast(null as {{ dbt.type_string() }}) as account_type,
    cast(null as {{ dbt.type_string() }}) as custom_attributes,

    -- numerics
    cast(null as {{ dbt.type_bigint() }}) as employee_count,
    cast(null as double) as annual_revenue,

    -- booleans
    cast(null as boolean) as is_target_account,

    -- timestamps
    cast(null as {{ dbt.type_timestamp() }}) as created_at,
    cast(null as {{ dbt.type_timestamp() }}) as updated_at,

    -- lineage
    'rudderstack' as source_system

where 1 = 0
