{#- Contributions to the engagement score that no single rule gives, one row per scoring (see
    int_engagement_rule_totals) and kind: the inactivity penalty (once, when the last scored event
    is older than the grid's inactivity_days at the scoring's instant and there is one) and the
    engagement cap (the points above var engagement_cap, taken back unless the contact has an event
    of an engagement_cap_unlock_rules rule). -#}
{%- set engagement_cap = leadscore.number_var('engagement_cap', allow_null=true) -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}
{%- set engagement_after_penalty = 'scoring_activity.rule_points + coalesce(inactivity.points, 0)' -%}

with

rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
),

settings as (
    select * from {{ ref('int_grid_settings_by_grid') }}
),

scoring_activity as (
    select
        scoring_id,
        contact_id,
        purpose,
        grid_role,
        min({{ leadscore.age_days(
            leadscore.epoch_seconds('scored_at'),
            leadscore.epoch_seconds('last_occurred_at')
        ) }}) as last_event_age_days,
        max(last_occurred_at) as last_scored_at,
        sum(points) as rule_points,
        max(
            case
                when rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }})
                    then 1
                else 0
            end
        ) as has_unlock_event
    from rule_totals
    group by scoring_id, contact_id, purpose, grid_role
),

{# an event exactly inactivity_days old is still within the window: no penalty #}
inactivity as (
    select
        scoring_activity.scoring_id,
        scoring_activity.contact_id,
        scoring_activity.purpose,
        scoring_activity.grid_role,
        'inactivity' as rule_id,
        'No engagement in the last '
        || cast(cast(settings.inactivity_days as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        || ' days' as description,
        settings.inactivity_points as points,
        scoring_activity.last_scored_at
    from scoring_activity
    inner join settings
        on scoring_activity.grid_role = settings.grid_role
    where {{ leadscore.is_inactive('scoring_activity.last_event_age_days', 'settings.inactivity_days') }}
),

cap as (
    select
        scoring_activity.scoring_id,
        scoring_activity.contact_id,
        scoring_activity.purpose,
        scoring_activity.grid_role,
        'engagement_cap' as rule_id,
        'Engagement capped at {{ engagement_cap }}' as description,
        {{ leadscore.engagement_cap_points(engagement_after_penalty, 'scoring_activity.has_unlock_event') }} as points,
        scoring_activity.last_scored_at
    from scoring_activity
    left join inactivity
        on scoring_activity.scoring_id = inactivity.scoring_id
    where {{ leadscore.engagement_cap_points(engagement_after_penalty, 'scoring_activity.has_unlock_event') }} is not null
),

unioned as (
    select * from inactivity
    union all
    select * from cap
),

final as (
    select
        {{ dbt.concat(['scoring_id', "'|'", 'rule_id']) }} as scoring_penalty_id,
        scoring_id,
        contact_id,
        purpose,
        grid_role,
        rule_id,
        description,
        points,
        last_scored_at
    from unioned
)

select * from final
