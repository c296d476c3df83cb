{# the seed of the grid chosen by var scoring_grid, typed; its post-hook has validated it #}
with

source as (
    select * from {{ leadscore.grid_seed('fit_rules') }}
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
)

select * from typed
