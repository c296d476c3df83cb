{#- mql_events scores contacts at past instants from int_engagement_events_matched: with the
    engine's recycle filter applied, its rows must be exactly the engine's scored events, with the
    same points and half-life. Returns every disagreement. Both models are incremental, with the
    same touched contacts, and a build rewrites every row of a contact it touches: the rows the
    latest build wrote are compared (every row after a full build); the others were compared when
    they were written. -#}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}

with

{# int_engagement_events_scored is a view that keeps these rows one for one #}
event_matches as (
    select * from {{ ref('int_engagement_event_matches') }}
),

all_matched as (
    select * from {{ ref('int_engagement_events_matched') }}
),

engine as (
    select *
    from event_matches
    where {{ leadscore.latest_build_filter(ref('int_engagement_event_matches')) }}
),

matched as (
    select *
    from all_matched
    where {{ leadscore.latest_build_filter(ref('int_engagement_events_matched')) }}
),

recycles as (
    select * from {{ ref('int_contact_recycled_as_of') }}
),

matched_in_scope as (
    select matched.*
    from matched
    left join recycles
        on matched.contact_id = recycles.contact_id
    where not ({{ reset_on_recycle }} and coalesce(matched.occurred_at < recycles.recycled_at, false))
),

final as (
    select
        coalesce(engine.event_rule_id, matched_in_scope.event_rule_id) as event_rule_id,
        engine.raw_points as engine_points,
        matched_in_scope.raw_points as matched_points
    from engine
    full outer join matched_in_scope
        on engine.event_rule_id = matched_in_scope.event_rule_id
    where
        engine.event_rule_id is null
        or matched_in_scope.event_rule_id is null
        or engine.raw_points <> matched_in_scope.raw_points
        or engine.half_life_days <> matched_in_scope.half_life_days
)

select * from final
