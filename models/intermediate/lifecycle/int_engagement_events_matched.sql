{#- Every event up to as_of and every engagement rule it matches, as int_engagement_events_scored
    matches them (scanner clicks left out when bot_filter is on), but before the recycle filter
    and without decay: what mql_events needs to score a contact at any earlier instant. The data
    test assert_event_matches_agree_with_engine checks that, with the engine's recycle filter
    applied, these are exactly the engine's rows. Scanner clicks are flagged as as_of sees them:
    a click of a burst is left out from its own instant on (see mql_events). Incremental on DuckDB
    like int_engagement_event_matches: a build recomputes only the contacts whose events or status
    changes are new (macros/scoring/incremental_engagement.sql). -#}
{{ config(
    materialized=leadscore.engagement_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ leadscore.engagement_incremental_pre_hook() }}"
) }}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}

with

events as (
    select *
    from {{ ref('int_events') }}
    where {{ leadscore.engagement_scope('contact_id') }}
),

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

bot_clicks as (
    select * from {{ ref('int_email_clicks_bot_flagged') }}
),

events_in_scope as (
    select events.*
    from events
    left join bot_clicks
        on events.event_id = bot_clicks.event_id
    where
        events.occurred_at <= {{ leadscore.as_of_timestamp() }}
        and not ({{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false))
),

candidate_matches as (
    select
        events_in_scope.event_id,
        events_in_scope.contact_id,
        events_in_scope.occurred_at,
        engagement_rules.rule_id,
        engagement_rules.description,
        engagement_rules.points as raw_points,
        engagement_rules.max_points,
        engagement_rules.match_field,
        engagement_rules.operator,
        engagement_rules.value as rule_value,
        coalesce(
            engagement_rules.half_life_days, {{ leadscore.number_var('decay_half_life_days') }}
        ) as half_life_days,
        {{ leadscore.event_field_value('events_in_scope', 'engagement_rules') }} as field_value
    from events_in_scope
    inner join engagement_rules
        on events_in_scope.event_type = engagement_rules.event_type
),

matched as (
    select *
    from candidate_matches
    where
        match_field is null
        or {{ leadscore.rule_matches('field_value', 'operator', 'rule_value') }}
),

{# computed_as_of, loaded_through and inputs_key of this build, computed once #}
bookkeeping as {{ leadscore.engagement_bookkeeping() }},

final as (
    select
        {{ dbt.concat(['matched.event_id', "'|'", 'matched.rule_id']) }} as event_rule_id,
        matched.event_id,
        matched.contact_id,
        matched.rule_id,
        matched.description,
        matched.occurred_at,
        {{ leadscore.epoch_seconds('matched.occurred_at') }} as occurred_epoch,
        matched.raw_points,
        matched.max_points,
        matched.half_life_days,
        case
            when matched.rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }}) then 1
            else 0
        end as is_unlock_rule,
        bookkeeping.computed_as_of,
        bookkeeping.loaded_through,
        bookkeeping.inputs_key
    from matched
    cross join bookkeeping
)

select * from final
