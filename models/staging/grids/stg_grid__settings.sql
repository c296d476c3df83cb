{#- One row: the settings of the chosen grid (seeds/scoring_grids.csv), overridden by the vars
    inactivity_days / inactivity_points when they are set. -#}
{%- set inactivity_days = leadscore.number_var('inactivity_days', allow_null=true) -%}
{%- set inactivity_points = leadscore.number_var('inactivity_points', allow_null=true) -%}

with

scoring_grids as (
    select * from {{ ref('scoring_grids') }}
),

chosen as (
    select
        grid,
        {{ inactivity_days if inactivity_days is not none else leadscore.to_number('inactivity_days') }} as inactivity_days,
        {{ inactivity_points if inactivity_points is not none else leadscore.to_number('inactivity_points') }} as inactivity_points
    from scoring_grids
    where grid = '{{ var("scoring_grid") | string | trim | lower }}'
)

select * from chosen
