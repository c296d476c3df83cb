{#- One row per event and engagement rule it matches, up to as_of, under the champion grid (var
    scoring_grid) and, when var challenger_grid is set, the challenger (grid_role), with its undecayed
    points and product line: the engine's one matching of events to rules, before decay, read by the
    score as of as_of, the scores at earlier instants (mql_events) and the backtest. Two flags say
    what as_of leaves out, and the models that score at other instants decide again at theirs:
    is_scanner_click, a click a scanner made as as_of sees it (var bot_filter; the backtest finds
    bursts again among the clicks up to each instant), and is_reset_by_recycle, an event before the
    contact's latest recycle (recycle_mode reset; an earlier instant, before that recycle, counts
    it). The score as of as_of reads the champion's rows with neither flag
    (int_engagement_events_scored, int_engagement_rule_sums). Incremental on DuckDB: a build
    recomputes only the contacts whose events or status changes are new
    (macros/scoring/incremental_engagement.sql). -#}
{{ config(
    materialized=leadscore.engagement_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ leadscore.engagement_incremental_pre_hook() }}"
) }}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}

with

events as (
    select *
    from {{ ref('int_events') }}
    where {{ leadscore.engagement_scope('contact_id') }}
),

event_product_lines as (
    select * from {{ ref('int_event_product_lines') }}
),

engagement_rules as (
    select * from {{ ref('int_engagement_rules_by_grid') }}
),

bot_clicks as (
    select * from {{ ref('int_email_clicks_bot_flagged') }}
),

recycles as (
    select * from {{ ref('int_contact_recycled_as_of') }}
),

events_in_scope as (
    select
        events.*,
        event_product_lines.product_line as event_product_line,
        {{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false) as is_scanner_click,
        {# an event at the very instant of the recycle still counts #}
        {{ reset_on_recycle }} and coalesce(events.occurred_at < recycles.recycled_at, false) as is_reset_by_recycle
    from events
    left join event_product_lines
        on events.event_id = event_product_lines.event_id
    left join bot_clicks
        on events.event_id = bot_clicks.event_id
    left join recycles
        on events.contact_id = recycles.contact_id
    where events.occurred_at <= {{ leadscore.as_of_timestamp() }}
),

candidate_matches as (
    select
        events_in_scope.event_id,
        events_in_scope.contact_id,
        events_in_scope.event_type,
        events_in_scope.occurred_at,
        events_in_scope.event_product_line,
        events_in_scope.is_scanner_click,
        events_in_scope.is_reset_by_recycle,
        engagement_rules.grid_role,
        engagement_rules.rule_id,
        engagement_rules.description,
        engagement_rules.max_points,
        engagement_rules.category,
        engagement_rules.product_line,
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
bookkeeping as (
    select
        {{ leadscore.as_of_timestamp() }} as computed_as_of,
        {{ leadscore.engagement_loaded_through() }} as loaded_through,
        {{ leadscore.engagement_inputs_key() }} as inputs_key
),

final as (
    select
        {{ dbt.concat(['matched.event_id', "'|'", 'matched.grid_role', "'|'", 'matched.rule_id']) }} as event_rule_id,
        matched.event_id,
        matched.contact_id,
        matched.grid_role,
        matched.rule_id,
        matched.event_type,
        matched.category,
        matched.product_line,
        coalesce(lower(matched.product_line), matched.event_product_line) as scored_product_line,
        matched.description,
        matched.occurred_at,
        {{ leadscore.epoch_seconds('matched.occurred_at') }} as occurred_epoch,
        matched.half_life_days,
        matched.rule_points as raw_points,
        matched.max_points,
        case
            when matched.rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }}) then 1
            else 0
        end as is_unlock_rule,
        matched.is_scanner_click,
        matched.is_reset_by_recycle,
        bookkeeping.computed_as_of,
        bookkeeping.loaded_through,
        bookkeeping.inputs_key
    from matched
    cross join bookkeeping
)

select * from final
