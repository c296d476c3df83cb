{#- What rule discovery (`leadscore calibrate`) reads of each backtest lead's engagement: per lead
    (champion grid) and event type, and per url, asset and campaign value of that type, the events
    up to its decision instant that the engine would score then (int_feedback_events_in_scope:
    scanner clicks as flagged at the instant left out with bot_filter, and with recycle_mode reset
    only events since the last recycle), their count, their count decayed
    at decay_half_life_days (decay_factor, as an engagement rule without half_life_days decays) and
    the age of the latest. match_field is null on the row of the whole event type. -#}
{%- set half_life_days = leadscore.number_var('decay_half_life_days') -%}

with

events_in_scope as (
    select * from {{ ref('int_feedback_events_in_scope') }}
    where purpose = 'backtest' and grid_role = 'champion'
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
