{{ config(enabled='rudderstack' in var('source_systems')) }}
{#- A tracker holds no lead statuses: typed like every system's lead status changes, with no rows. -#}
select
    -- ids
    cast(null as {{ dbt.type_string() }}) as status_change_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,

    -- strings
    cast(null as {{ dbt.type_string() }}) as status,
    cast(null as {{ dbt.type_string() }}) as reason,
    cast(null as {{ dbt.type_string() }}) as owner,

    -- timestamps
    cast(null as {{ dbt.type_timestamp() }}) as changed_at,
    cast(null as {{ dbt.type_timestamp() }}) as loaded_at,

    -- lineage
    'rudderstack' as source_system

where 1 = 0
