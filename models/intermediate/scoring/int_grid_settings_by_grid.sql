{#- The settings (inactivity_days, inactivity_points) of every grid a build scores with, each row
    under its grid_role: the champion (stg_grid__settings) and, when var challenger_grid is set, the
    challenger, with the same vars taking precedence (int_engagement_penalties). -#}
{{ config(materialized='view') }}
{%- set challenger = leadscore.challenger_grid() -%}

with

champion_settings as (
    select * from {{ ref('stg_grid__settings') }}
),

scoring_grids as (
    select * from {{ ref('stg_grid__scoring_grids') }}
),

challenger_settings as (
    select
        lower(trim(grid)) as grid,
        {{ leadscore.grid_setting('inactivity_days') }} as inactivity_days,
        {{ leadscore.grid_setting('inactivity_points') }} as inactivity_points
    from scoring_grids
    where lower(trim(grid)) = '{{ challenger or "" }}'
),

final as (
    select
        'champion' as grid_role,
        grid,
        inactivity_days,
        inactivity_points
    from champion_settings
    union all
    select
        'challenger' as grid_role,
        grid,
        inactivity_days,
        inactivity_points
    from challenger_settings
)

select * from final
