{#- What the engine scores: one row per scoring, a contact under a grid at an instant. Every contact
    at as_of with the champion grid (var scoring_grid: what lead_scores reads) and, when var
    challenger_grid is set, with the challenger (champion_challenger); every backtest lead at its
    decision instant (int_backtest_decision_instants) with the champion and, when set, the
    challenger (backtest_lead_scores). int_engagement_rule_totals, int_engagement_penalties,
    int_lead_score_contributions and int_lead_scores_by_scoring compute each of them the same way. -#}
{%- set challenger = leadscore.challenger_grid() -%}
{%- set has_challenger = leadscore.sql_boolean(challenger is not none) -%}

with

decision_instants as (
    select * from {{ ref('int_backtest_decision_instants') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

grid_roles as (
    select
        'champion' as grid_role,
        '{{ leadscore.champion_grid() }}' as grid
    union all
    select
        'challenger' as grid_role,
        '{{ challenger or "" }}' as grid
),

active_roles as (
    select *
    from grid_roles
    where grid_role = 'champion' or {{ has_challenger }}
),

backtest_instants as (
    select
        decision_instants.contact_id,
        'backtest' as purpose,
        active_roles.grid_role,
        active_roles.grid,
        decision_instants.decision_at as scored_at
    from decision_instants
    cross join active_roles
),

current_instants as (
    select
        contacts.contact_id,
        'current' as purpose,
        active_roles.grid_role,
        active_roles.grid,
        {{ leadscore.as_of_timestamp() }} as scored_at
    from contacts
    cross join active_roles
),

unioned as (
    select * from backtest_instants
    union all
    select * from current_instants
),

final as (
    select
        {{ leadscore.scoring_id('contact_id', 'purpose', 'grid_role') }} as scoring_id,
        contact_id,
        purpose,
        grid_role,
        grid,
        scored_at
    from unioned
)

select * from final
