{#- One row per scoring instant (int_feedback_scoring_instants), event and engagement rule of the
    instant's grid it matches: int_engagement_events_scored with a per-contact instant instead of
    as_of. Only what was known at the instant counts: events up to it, scanner clicks as flagged
    then, and, with recycle_mode reset, a recycle made at or before it. Same macros (rule_matches,
    decay_factor) as the engine. -#}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}

with

instants as (
    select * from {{ ref('int_feedback_scoring_instants') }}
),

events as (
    select * from {{ ref('int_events') }}
),

champion_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

challenger_rules as (
    select * from {{ ref('stg_grid__challenger_engagement_rules') }}
),

bot_clicks as (
    select * from {{ ref('int_feedback_clicks_bot_flagged') }}
),

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

engagement_rules as (
    select
        'champion' as grid_role,
        rule_id,
        event_type,
        match_field,
        operator,
        value,
        points,
        half_life_days
    from champion_rules
    union all
    select
        'challenger' as grid_role,
        rule_id,
        event_type,
        match_field,
        operator,
        value,
        points,
        half_life_days
    from challenger_rules
),

recycles as (
    select
        instants.scoring_id,
        max(status_changes.changed_at) as recycled_at
    from instants
    inner join status_changes
        on
            instants.contact_id = status_changes.contact_id
            and status_changes.status = lower('{{ var("recycle_status") }}')
            and instants.scored_at >= status_changes.changed_at
    group by instants.scoring_id
),

events_in_scope as (
    select
        instants.scoring_id,
        instants.grid_role,
        events.event_id,
        events.contact_id,
        events.event_type,
        events.url,
        events.asset,
        events.campaign,
        events.properties,
        events.occurred_at,
        (
            {{ leadscore.epoch_seconds('instants.scored_at') }}
            - {{ leadscore.epoch_seconds('events.occurred_at') }}
        ) / 86400.0 as age_days
    from instants
    inner join events
        on
            instants.contact_id = events.contact_id
            and instants.scored_at >= events.occurred_at
    left join bot_clicks
        on
            instants.scoring_id = bot_clicks.scoring_id
            and events.event_id = bot_clicks.event_id
    left join recycles
        on instants.scoring_id = recycles.scoring_id
    where
        not ({{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false))
        {# an event at the very instant of the recycle still counts #}
        and not ({{ reset_on_recycle }} and coalesce(events.occurred_at < recycles.recycled_at, false))
),

candidate_matches as (
    select
        events_in_scope.scoring_id,
        events_in_scope.grid_role,
        events_in_scope.event_id,
        events_in_scope.contact_id,
        events_in_scope.occurred_at,
        events_in_scope.age_days,
        engagement_rules.rule_id,
        engagement_rules.points as rule_points,
        engagement_rules.match_field,
        engagement_rules.operator,
        engagement_rules.value as rule_value,
        coalesce(
            engagement_rules.half_life_days, {{ leadscore.number_var('decay_half_life_days') }}
        ) as half_life_days,
        {{ leadscore.event_field_value('events_in_scope', 'engagement_rules') }} as field_value
    from events_in_scope
    inner join engagement_rules
        on
            events_in_scope.event_type = engagement_rules.event_type
            and events_in_scope.grid_role = engagement_rules.grid_role
),

matched as (
    select *
    from candidate_matches
    where
        match_field is null
        or {{ leadscore.rule_matches('field_value', 'operator', 'rule_value') }}
),

final as (
    select
        {{ dbt.concat(['scoring_id', "'|'", 'event_id', "'|'", 'rule_id']) }} as scoring_event_rule_id,
        scoring_id,
        contact_id,
        grid_role,
        event_id,
        rule_id,
        occurred_at,
        age_days,
        {{ leadscore.decay_factor('age_days', 'half_life_days') }} as decay_factor,
        rule_points as raw_points,
        rule_points * {{ leadscore.decay_factor('age_days', 'half_life_days') }} as points,
        age_days <= {{ leadscore.number_var('recent_window_days') }} as is_recent
    from matched
)

select * from final
