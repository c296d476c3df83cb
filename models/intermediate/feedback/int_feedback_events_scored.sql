{#- One row per scoring instant (int_feedback_scoring_instants), event and engagement rule of the
    instant's grid it matches: int_engagement_events_scored with a per-contact instant instead of
    as_of. The matches are the engine's own (int_engagement_event_matches, both grids); only what
    was known at the instant counts: events up to it, scanner clicks as flagged then, and, with
    recycle_mode reset, a recycle made at or before it. -#}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}

with

instants as (
    select * from {{ ref('int_feedback_scoring_instants') }}
),

matches as (
    select * from {{ ref('int_engagement_event_matches') }}
),

bot_clicks as (
    select * from {{ ref('int_feedback_clicks_bot_flagged') }}
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

recycles as (
    select
        instants.scoring_id,
        max(contact_recycles.recycled_at) as recycled_at
    from instants
    inner join contact_recycles
        on
            instants.contact_id = contact_recycles.contact_id
            and instants.scored_at >= contact_recycles.recycled_at
    group by instants.scoring_id
),

matches_in_scope as (
    select
        instants.scoring_id,
        matches.grid_role,
        matches.event_id,
        matches.contact_id,
        matches.rule_id,
        matches.occurred_at,
        matches.half_life_days,
        matches.raw_points,
        {{ leadscore.age_days(
            leadscore.epoch_seconds('instants.scored_at'), 'matches.occurred_epoch'
        ) }} as age_days
    from instants
    inner join matches
        on
            instants.contact_id = matches.contact_id
            and instants.grid_role = matches.grid_role
            and instants.scored_at >= matches.occurred_at
    left join bot_clicks
        on
            instants.scoring_id = bot_clicks.scoring_id
            and matches.event_id = bot_clicks.event_id
    left join recycles
        on instants.scoring_id = recycles.scoring_id
    where
        not ({{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false))
        {# an event at the very instant of the recycle still counts #}
        and not ({{ reset_on_recycle }} and coalesce(matches.occurred_at < recycles.recycled_at, false))
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
        raw_points,
        raw_points * {{ leadscore.decay_factor('age_days', 'half_life_days') }} as points,
        age_days <= {{ leadscore.number_var('recent_window_days') }} as is_recent
    from matches_in_scope
)

select * from final
