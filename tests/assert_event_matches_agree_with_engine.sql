{#- mql_events scores contacts at past instants from int_engagement_events_matched: with the
    engine's recycle filter applied, its rows must be exactly the engine's scored events, with the
    same points and half-life. Returns every disagreement. Both models are incremental (a build
    rewrites every row of the contacts it touches): the contacts whose rows the latest build wrote
    are compared; the others were compared when their rows were written. -#}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode', ['reset', 'keep']) == 'reset') -%}

with

all_engine as (
    select * from {{ ref('int_engagement_events_scored') }}
),

all_matched as (
    select * from {{ ref('int_engagement_events_matched') }}
),

event_matches as (
    select * from {{ ref('int_engagement_event_matches') }}
),

rewritten_contacts as (
    select contact_id
    from event_matches
    where computed_as_of = (select max(computed_as_of) from event_matches)
    union
    select contact_id
    from all_matched
    where computed_as_of = (select max(computed_as_of) from all_matched)
),

engine as (
    select *
    from all_engine
    where contact_id in (select contact_id from rewritten_contacts)
),

matched as (
    select *
    from all_matched
    where contact_id in (select contact_id from rewritten_contacts)
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
