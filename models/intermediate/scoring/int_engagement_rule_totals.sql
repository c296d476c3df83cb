{#- Per contact and engagement rule: occurrences, raw and decayed points, and the rule's total
    after its max_points cap (a cap on the absolute value, applied after decay). -#}
with

events_scored as (
    select * from {{ ref('int_engagement_events_scored') }}
),

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

totals as (
    select
        contact_id,
        rule_id,
        count(*) as occurrences,
        sum(raw_points) as raw_points,
        sum(points) as decayed_points,
        sum(case when is_recent then raw_points else 0 end) as recent_raw_points,
        max(occurred_at) as last_occurred_at
    from events_scored
    group by contact_id, rule_id
),

final as (
    select
        {{ dbt.concat(['totals.contact_id', "'|'", 'totals.rule_id']) }} as contact_rule_id,
        totals.contact_id,
        totals.rule_id,
        engagement_rules.description,
        engagement_rules.category,
        engagement_rules.product_line,
        engagement_rules.max_points,
        totals.occurrences,
        totals.raw_points,
        totals.decayed_points,
        {{ leadscore.capped_rule_points('totals.decayed_points', 'engagement_rules.max_points') }} as points,
        totals.recent_raw_points,
        totals.last_occurred_at
    from totals
    inner join engagement_rules
        on totals.rule_id = engagement_rules.rule_id
)

select * from final
