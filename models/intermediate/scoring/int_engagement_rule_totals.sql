{#- Per contact and engagement rule: occurrences, raw and decayed points, and the rule's total
    after its max_points cap (a cap on the absolute value, applied after decay). With exponential
    decay the decayed points come from the running sums (int_engagement_rule_sums), brought
    forward to as_of; with another decay method, from the events (int_engagement_events_scored).
    The undecayed points of the recent window are read from the events of that window only. -#}
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

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

{# exponential decay: the running sums brought forward to as_of; another decay method: the decayed
   events (the branch not taken reads nothing) #}
decayed_parts as (
    select
        contact_id,
        rule_id,
        occurrences,
        raw_points,
        {{ leadscore.running_sum_decayed_points() }} as decayed_points,
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
        occurred_at as last_occurred_at
    from events_scored
    where not {{ exponential }}
),

decayed as (
    select
        contact_id,
        rule_id,
        sum(occurrences) as occurrences,
        sum(raw_points) as raw_points,
        sum(decayed_points) as decayed_points,
        max(last_occurred_at) as last_occurred_at
    from decayed_parts
    group by contact_id, rule_id
),

{# the window's lower bound is a filter on occurred_at, so only the window's events are read #}
recent as (
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

final as (
    select
        {{ dbt.concat(['decayed.contact_id', "'|'", 'decayed.rule_id']) }} as contact_rule_id,
        decayed.contact_id,
        decayed.rule_id,
        engagement_rules.description,
        engagement_rules.category,
        engagement_rules.product_line,
        engagement_rules.max_points,
        decayed.occurrences,
        decayed.raw_points,
        decayed.decayed_points,
        {{ leadscore.capped_rule_points('decayed.decayed_points', 'engagement_rules.max_points') }} as points,
        coalesce(recent.recent_raw_points, 0) as recent_raw_points,
        decayed.last_occurred_at
    from decayed
    inner join engagement_rules
        on decayed.rule_id = engagement_rules.rule_id
    left join recent
        on
            decayed.contact_id = recent.contact_id
            and decayed.rule_id = recent.rule_id
)

select * from final
