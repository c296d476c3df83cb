{#- Per scoring (a contact under a grid at an instant) and engagement rule: occurrences, raw and
    decayed points, the rule's total after its max_points cap (a cap on the absolute value, applied
    after decay), the undecayed points of the recent window, the last occurrence, and the rule's
    feature for calibration (its decayed occurrences capped where its points are, max_points /
    |points|, so that points x feature_value is the capped total for any points).

    The scorings: every contact at as_of with the champion grid (purpose current, what lead_scores
    reads), and those of int_scoring_instants (the backtest's decision instants, and the
    challenger at as_of). At as_of with the champion grid the decayed points come from the running
    sums (int_engagement_rule_sums) brought forward to as_of with exponential decay, from the
    events (int_engagement_events_scored) with another decay method; at the other scorings from
    the events known then (int_feedback_events_scored). -#}
{%- set exponential = leadscore.sql_boolean(
    leadscore.choice_var('decay_method') == 'exponential'
) -%}
{%- set recent_window_days = leadscore.number_var('recent_window_days') -%}

with

rule_sums as (
    select * from {{ ref('int_engagement_rule_sums') }}
),

events_scored as (
    select * from {{ ref('int_engagement_events_scored') }}
),

instant_events_scored as (
    select * from {{ ref('int_feedback_events_scored') }}
),

instants as (
    select * from {{ ref('int_scoring_instants') }}
),

engagement_rules as (
    select * from {{ ref('int_engagement_rules_by_grid') }}
),

{# at as_of with the champion grid. Exponential decay: the running sums brought forward to as_of;
   another decay method: the decayed events (the branch not taken reads nothing) #}
current_parts as (
    select
        contact_id,
        rule_id,
        occurrences,
        raw_points,
        {{ leadscore.running_sum_decayed_points() }} as decayed_points,
        cast(null as double) as decayed_occurrences,
        last_occurred_at
    from rule_sums
    where {{ exponential }}
    union all
    select
        contact_id,
        rule_id,
        1 as occurrences,
        raw_points,
        points as decayed_points,
        decay_factor as decayed_occurrences,
        occurred_at as last_occurred_at
    from events_scored
    where not {{ exponential }}
),

current_decayed as (
    select
        contact_id,
        rule_id,
        sum(occurrences) as occurrences,
        sum(raw_points) as raw_points,
        sum(decayed_points) as decayed_points,
        sum(decayed_occurrences) as decayed_occurrences,
        max(last_occurred_at) as last_occurred_at
    from current_parts
    group by contact_id, rule_id
),

{# the window's lower bound is a filter on occurred_at, so only the window's events are read #}
current_recent as (
    select
        contact_id,
        rule_id,
        sum(raw_points) as recent_raw_points
    from events_scored
    where
        occurred_at >= {{ dbt.dateadd('second', -((recent_window_days * 86400) | round(0, 'ceil') | int), leadscore.as_of_timestamp()) }}
        and is_recent
    group by contact_id, rule_id
),

current_totals as (
    select
        {{ leadscore.scoring_id('current_decayed.contact_id', "'current'", "'champion'") }} as scoring_id,
        current_decayed.contact_id,
        'current' as purpose,
        'champion' as grid_role,
        {{ leadscore.as_of_timestamp() }} as scored_at,
        current_decayed.rule_id,
        current_decayed.occurrences,
        current_decayed.raw_points,
        current_decayed.decayed_points,
        current_decayed.decayed_occurrences,
        coalesce(current_recent.recent_raw_points, 0) as recent_raw_points,
        current_decayed.last_occurred_at
    from current_decayed
    left join current_recent
        on
            current_decayed.contact_id = current_recent.contact_id
            and current_decayed.rule_id = current_recent.rule_id
),

{# at the other scorings: the events known at the instant #}
instant_totals as (
    select
        instant_events_scored.scoring_id,
        instant_events_scored.contact_id,
        instants.purpose,
        instant_events_scored.grid_role,
        instants.scored_at,
        instant_events_scored.rule_id,
        count(*) as occurrences,
        sum(instant_events_scored.raw_points) as raw_points,
        sum(instant_events_scored.points) as decayed_points,
        sum(instant_events_scored.decay_factor) as decayed_occurrences,
        sum(case when instant_events_scored.is_recent then instant_events_scored.raw_points else 0 end)
            as recent_raw_points,
        max(instant_events_scored.occurred_at) as last_occurred_at
    from instant_events_scored
    inner join instants
        on instant_events_scored.scoring_id = instants.scoring_id
    group by
        instant_events_scored.scoring_id,
        instant_events_scored.contact_id,
        instants.purpose,
        instant_events_scored.grid_role,
        instants.scored_at,
        instant_events_scored.rule_id
),

totals as (
    select * from current_totals
    union all
    select * from instant_totals
),

final as (
    select
        {{ dbt.concat(['totals.scoring_id', "'|'", 'totals.rule_id']) }} as scoring_rule_id,
        totals.scoring_id,
        totals.contact_id,
        totals.purpose,
        totals.grid_role,
        totals.scored_at,
        totals.rule_id,
        engagement_rules.description,
        engagement_rules.category,
        engagement_rules.product_line,
        engagement_rules.max_points,
        totals.occurrences,
        totals.raw_points,
        totals.decayed_points,
        totals.decayed_occurrences,
        {{ leadscore.capped_rule_points('totals.decayed_points', 'engagement_rules.max_points') }} as points,
        case
            when
                engagement_rules.max_points is not null
                and engagement_rules.points <> 0
                and abs(totals.decayed_points) > engagement_rules.max_points
                then engagement_rules.max_points / abs(engagement_rules.points)
            else totals.decayed_occurrences
        end as feature_value,
        totals.recent_raw_points,
        totals.last_occurred_at
    from totals
    inner join engagement_rules
        on
            totals.grid_role = engagement_rules.grid_role
            and totals.rule_id = engagement_rules.rule_id
)

select * from final
