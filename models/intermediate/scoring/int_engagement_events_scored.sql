{#- One row per event and engagement rule it matches, up to as_of, with the decay factor that
    weighs it as of as_of: the finest grain of the engagement score, so every point traces to an
    event. A view over the rows of int_engagement_event_matches that count as of as_of: the decay
    depends on as_of, so it is computed when read, and a build pays for it only where it reads it. -#}
{{ config(materialized='view') }}

with

matches as (
    select * from {{ ref('int_engagement_event_matches') }}
),

{# as of as_of, the champion grid's matches count, but not a scanner's click nor an event before the
   contact's latest recycle (recycle_mode reset) #}
counted as (
    select *
    from matches
    where
        grid_role = 'champion'
        and not is_scanner_click
        and not is_reset_by_recycle
),

aged as (
    select
        *,
        {{ leadscore.age_days(
            leadscore.epoch_seconds(leadscore.as_of_timestamp()),
            leadscore.epoch_seconds('occurred_at')
        ) }} as age_days
    from counted
),

final as (
    select
        event_rule_id,
        event_id,
        contact_id,
        rule_id,
        event_type,
        category,
        product_line,
        scored_product_line,
        occurred_at,
        age_days,
        half_life_days,
        {{ leadscore.decay_factor('age_days', 'half_life_days') }} as decay_factor,
        raw_points,
        raw_points * {{ leadscore.decay_factor('age_days', 'half_life_days') }} as points,
        age_days <= {{ leadscore.number_var('recent_window_days') }} as is_recent
    from aged
)

select * from final
