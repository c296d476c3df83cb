{{ config(enabled='segment' in var('source_systems')) }}
{#- A tracker holds no opportunities: typed like every system's opportunities, with no rows. -#}
select
    -- ids
    cast(null as {{ dbt.type_string() }}) as opportunity_id,
    cast(null as {{ dbt.type_string() }}) as account_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,

    -- strings
    cast(null as {{ dbt.type_string() }}) as stage,

    -- numerics
    cast(null as double) as amount,

    -- booleans
    cast(null as boolean) as is_closed,
    cast(null as boolean) as is_won,

    -- timestamps
    cast(null as {{ dbt.type_timestamp() }}) as created_at,
    cast(null as {{ dbt.type_timestamp() }}) as closed_at,

    -- lineage
    'segment' as source_system

where 1 = 0
