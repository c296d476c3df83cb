{#- The engagement grid named by var challenger_grid, typed like stg_grid__engagement_rules; no rows
    when the var is not set (the champion's seed is then read only to give the columns). -#}
{%- set challenger = leadscore.challenger_grid() -%}

with

source as (
    select * from {{ leadscore.grid_seed('engagement_rules', challenger) }}
),

typed as (
    select
        -- ids
        trim(rule_id) as rule_id,

        -- strings
        lower(trim(event_type)) as event_type,
        nullif(lower(trim(match_field)), '') as match_field,
        lower(trim(operator)) as operator,
        value,
        lower(trim(category)) as category,
        nullif(trim(product_line), '') as product_line,
        description,

        -- numerics
        {{ leadscore.to_number('points') }} as points,
        {{ leadscore.to_number('max_points') }} as max_points,
        {{ leadscore.to_number('half_life_days') }} as half_life_days

    from source
    where {{ leadscore.sql_boolean(challenger is not none) }}
)

select * from typed
