{#- One row: the settings of the chosen grid (seeds/scoring_grids.csv), overridden by the vars
    inactivity_days / inactivity_points when they are set. -#}

with

scoring_grids as (
    select * from {{ ref('scoring_grids') }}
),

chosen as (
    select
        grid,
        {{ leadscore.grid_setting('inactivity_days') }} as inactivity_days,
        {{ leadscore.grid_setting('inactivity_points') }} as inactivity_points
    from scoring_grids
    where grid = '{{ var("scoring_grid") | string | trim | lower }}'
)

select * from chosen
