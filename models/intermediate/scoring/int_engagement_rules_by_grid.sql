{#- The engagement rules of every grid a build scores with, each row under its grid_role: the
    champion (var scoring_grid) and, when var challenger_grid is set, the challenger. The one place
    the two grids are put side by side (int_engagement_event_matches, int_engagement_rule_totals). -#}
{{ config(materialized='view') }}

with

champion_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

challenger_rules as (
    select * from {{ ref('stg_grid__challenger_engagement_rules') }}
),

final as (
    select
        'champion' as grid_role,
        rule_id,
        description,
        event_type,
        match_field,
        operator,
        value,
        points,
        half_life_days,
        max_points,
        category,
        product_line
    from champion_rules
    union all
    select
        'challenger' as grid_role,
        rule_id,
        description,
        event_type,
        match_field,
        operator,
        value,
        points,
        half_life_days,
        max_points,
        category,
        product_line
    from challenger_rules
)

select * from final
