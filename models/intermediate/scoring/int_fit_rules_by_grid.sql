{#- The fit rules of every grid a build scores with, each row under its grid_role: the champion
    (var scoring_grid) and, when var challenger_grid is set, the challenger. The one place the two
    grids are put side by side (int_fit_rules_applied). -#}
{{ config(materialized='view') }}

with

champion_rules as (
    select * from {{ ref('stg_grid__fit_rules') }}
),

challenger_rules as (
    select * from {{ ref('stg_grid__challenger_fit_rules') }}
),

final as (
    select
        'champion' as grid_role,
        rule_id,
        rule_group,
        attribute,
        operator,
        value,
        points,
        priority,
        description
    from champion_rules
    union all
    select
        'challenger' as grid_role,
        rule_id,
        rule_group,
        attribute,
        operator,
        value,
        points,
        priority,
        description
    from challenger_rules
)

select * from final
