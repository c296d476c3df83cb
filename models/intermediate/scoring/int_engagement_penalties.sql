{#- Contributions to the engagement score that no single rule gives, one row per contact and kind:
    the inactivity penalty (once, when the last scored event is older than the grid's
    inactivity_days and there is one) and the engagement cap (the points above var engagement_cap,
    taken back unless the contact has an event of an engagement_cap_unlock_rules rule). -#}
{%- set engagement_cap = leadscore.number_var('engagement_cap', allow_null=true) -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}
{%- set engagement_after_penalty = 'engagement_before_cap.rule_points + coalesce(inactivity.points, 0)' -%}

with

rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
),

settings as (
    select * from {{ ref('stg_grid__settings') }}
),

contact_activity as (
    select
        contact_id,
        min({{ leadscore.age_days(
            leadscore.epoch_seconds(leadscore.as_of_timestamp()),
            leadscore.epoch_seconds('last_occurred_at')
        ) }}) as last_event_age_days,
        max(last_occurred_at) as last_scored_at,
        max(
            case
                when rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }})
                    then 1
                else 0
            end
        ) as has_unlock_event
    from rule_totals
    group by contact_id
),

{# an event exactly inactivity_days old is still within the window: no penalty #}
inactivity as (
    select
        contact_activity.contact_id,
        'inactivity' as rule_id,
        'No engagement in the last '
        || cast(cast(settings.inactivity_days as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        || ' days' as description,
        settings.inactivity_points as points,
        contact_activity.last_scored_at
    from contact_activity
    cross join settings
    where {{ leadscore.is_inactive('contact_activity.last_event_age_days', 'settings.inactivity_days') }}
),

engagement_before_cap as (
    select
        rule_totals.contact_id,
        sum(rule_totals.points) as rule_points
    from rule_totals
    group by rule_totals.contact_id
),

cap as (
    select
        engagement_before_cap.contact_id,
        'engagement_cap' as rule_id,
        'Engagement capped at {{ engagement_cap }}' as description,
        {{ leadscore.engagement_cap_points(engagement_after_penalty, 'contact_activity.has_unlock_event') }} as points,
        contact_activity.last_scored_at
    from engagement_before_cap
    inner join contact_activity
        on engagement_before_cap.contact_id = contact_activity.contact_id
    left join inactivity
        on engagement_before_cap.contact_id = inactivity.contact_id
    where {{ leadscore.engagement_cap_points(engagement_after_penalty, 'contact_activity.has_unlock_event') }} is not null
),

unioned as (
    select * from inactivity
    union all
    select * from cap
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'rule_id']) }} as contact_penalty_id,
        contact_id,
        rule_id,
        description,
        points,
        last_scored_at
    from unioned
)

select * from final
