{#- What rule discovery (`leadscore calibrate`) reads of each backtest lead's engagement: per lead
    (champion grid) and event type, and per url, asset and campaign value of that type, the events
    up to its decision instant that the engine would score then (the scope of
    int_feedback_events_scored: scanner clicks as flagged at the instant left out with bot_filter,
    and with recycle_mode reset only events since the last recycle), their count, their count decayed
    at decay_half_life_days (decay_factor, as an engagement rule without half_life_days decays) and
    the age of the latest. match_field is null on the row of the whole event type. -#}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}
{%- set half_life_days = leadscore.number_var('decay_half_life_days') -%}

with

instants as (
    select * from {{ ref('int_feedback_scoring_instants') }}
),

events as (
    select * from {{ ref('int_events') }}
),

bot_clicks as (
    select * from {{ ref('int_feedback_clicks_bot_flagged') }}
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

backtest_instants as (
    select *
    from instants
    where purpose = 'backtest' and grid_role = 'champion'
),

recycles as (
    select
        backtest_instants.scoring_id,
        max(contact_recycles.recycled_at) as recycled_at
    from backtest_instants
    inner join contact_recycles
        on
            backtest_instants.contact_id = contact_recycles.contact_id
            and backtest_instants.scored_at >= contact_recycles.recycled_at
    group by backtest_instants.scoring_id
),

events_in_scope as (
    select
        backtest_instants.contact_id,
        events.event_type,
        events.url,
        events.asset,
        events.campaign,
        (
            {{ leadscore.epoch_seconds('backtest_instants.scored_at') }}
            - {{ leadscore.epoch_seconds('events.occurred_at') }}
        ) / 86400.0 as age_days
    from backtest_instants
    inner join events
        on
            backtest_instants.contact_id = events.contact_id
            and backtest_instants.scored_at >= events.occurred_at
    left join bot_clicks
        on
            backtest_instants.scoring_id = bot_clicks.scoring_id
            and events.event_id = bot_clicks.event_id
    left join recycles
        on backtest_instants.scoring_id = recycles.scoring_id
    where
        not ({{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false))
        and not ({{ reset_on_recycle }} and coalesce(events.occurred_at < recycles.recycled_at, false))
),

event_fields as (
    select
        contact_id,
        event_type,
        cast(null as {{ dbt.type_string() }}) as match_field,
        cast(null as {{ dbt.type_string() }}) as field_value,
        age_days
    from events_in_scope
    union all
    select
        contact_id,
        event_type,
        'url' as match_field,
        url as field_value,
        age_days
    from events_in_scope
    where url is not null
    union all
    select
        contact_id,
        event_type,
        'asset' as match_field,
        asset as field_value,
        age_days
    from events_in_scope
    where asset is not null
    union all
    select
        contact_id,
        event_type,
        'campaign' as match_field,
        campaign as field_value,
        age_days
    from events_in_scope
    where campaign is not null
),

counted as (
    select
        contact_id,
        event_type,
        match_field,
        field_value,
        count(*) as occurrences,
        sum({{ leadscore.decay_factor('age_days', half_life_days) }}) as decayed_occurrences,
        min(age_days) as last_event_age_days
    from event_fields
    group by contact_id, event_type, match_field, field_value
),

final as (
    select
        {{ dbt.concat([
            'contact_id', "'|'", 'event_type', "'|'", "coalesce(match_field, '')", "'|'",
            "coalesce(field_value, '')"
        ]) }} as lead_engagement_id,
        contact_id,
        event_type,
        match_field,
        field_value,
        occurrences,
        decayed_occurrences,
        last_event_age_days
    from counted
)

select * from final
