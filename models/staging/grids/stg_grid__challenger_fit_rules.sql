{#- The fit grid named by var challenger_grid, typed like stg_grid__fit_rules; no rows when the var
    is not set (the champion's seed is then read only to give the columns). -#}
{%- set challenger = leadscore.challenger_grid() -%}

with

source as (
    select * from {{ leadscore.grid_seed('fit_rules', challenger) }}
),

typed as (
    select
        -- ids
        trim(rule_id) as rule_id,
        coalesce(nullif(trim(rule_group), ''), trim(rule_id)) as rule_group,

        -- strings
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        value,
        description,

        -- numerics
        {{ leadscore.to_number('points') }} as points,
        coalesce({{ leadscore.to_integer('priority') }}, 0) as priority

    from source
    where {{ leadscore.sql_boolean(challenger is not none) }}
)

select * from typed
