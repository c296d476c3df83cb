{#- Per scoring instant and engagement rule: occurrences, decayed points and the rule's total after
    its max_points cap, as in int_engagement_rule_totals; and the rule's feature for calibration,
    its decayed occurrences capped where its points are (max_points / |points|), so that
    points x feature_value is the capped total for any points. -#}
with

events_scored as (
    select * from {{ ref('int_feedback_events_scored') }}
),

engagement_rules as (
    select * from {{ ref('int_engagement_rules_by_grid') }}
),

totals as (
    select
        scoring_id,
        contact_id,
        grid_role,
        rule_id,
        count(*) as occurrences,
        sum(decay_factor) as decayed_occurrences,
        sum(points) as decayed_points,
        sum(case when is_recent then raw_points else 0 end) as recent_raw_points,
        max(occurred_at) as last_occurred_at
    from events_scored
    group by scoring_id, contact_id, grid_role, rule_id
),

final as (
    select
        {{ dbt.concat(['totals.scoring_id', "'|'", 'totals.rule_id']) }} as scoring_rule_id,
        totals.scoring_id,
        totals.contact_id,
        totals.grid_role,
        totals.rule_id,
        engagement_rules.category,
        totals.occurrences,
        totals.decayed_occurrences,
        totals.decayed_points,
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
