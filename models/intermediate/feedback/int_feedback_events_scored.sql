{#- One row per scoring instant (int_scoring_instants), event and engagement rule of the
    instant's grid it matches: int_engagement_events_scored with a per-contact instant instead of
    as_of. The matches are the engine's own (int_engagement_event_matches, both grids), of the
    events in scope at the instant (int_feedback_events_in_scope: only what was known then). -#}

with

events_in_scope as (
    select * from {{ ref('int_feedback_events_in_scope') }}
),

matches as (
    select * from {{ ref('int_engagement_event_matches') }}
),

matches_in_scope as (
    select
        events_in_scope.scoring_id,
        matches.grid_role,
        matches.event_id,
        matches.contact_id,
        matches.rule_id,
        matches.occurred_at,
        matches.half_life_days,
        matches.raw_points,
        events_in_scope.age_days
    from events_in_scope
    inner join matches
        on
            events_in_scope.event_id = matches.event_id
            and events_in_scope.grid_role = matches.grid_role
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
