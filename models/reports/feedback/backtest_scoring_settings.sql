{#- The settings the backtest scored the champion grid with, as `leadscore calibrate` needs them to
    score a proposed grid exactly as the engine would (one row): decay, the grid's inactivity penalty
    (the var when set, else the grid's row of scoring_grids), the engagement cap and the clamp. -#}
{%- set inactivity_days = leadscore.number_var('inactivity_days', allow_null=true) -%}
{%- set inactivity_points = leadscore.number_var('inactivity_points', allow_null=true) -%}
{%- set engagement_cap = leadscore.number_var('engagement_cap', allow_null=true) -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}

with

scoring_grids as (
    select * from {{ ref('stg_grid__scoring_grids') }}
),

final as (
    select
        lower(trim(grid)) as grid,
        '{{ leadscore.choice_var("decay_method") }}' as decay_method,
        cast({{ leadscore.number_var('decay_half_life_days') }} as double) as decay_half_life_days,
        cast(
            {{ inactivity_days if inactivity_days is not none else leadscore.to_number('inactivity_days') }}
            as double
        ) as inactivity_days,
        cast(
            {{ inactivity_points if inactivity_points is not none else leadscore.to_number('inactivity_points') }}
            as double
        ) as inactivity_points,
        cast({{ engagement_cap if engagement_cap is not none else 'null' }} as double) as engagement_cap,
        cast({{ score_min if score_min is not none else 'null' }} as double) as lead_score_min,
        cast({{ score_max if score_max is not none else 'null' }} as double) as lead_score_max
    from scoring_grids
    where lower(trim(grid)) = '{{ leadscore.champion_grid() }}'
)

select * from final
