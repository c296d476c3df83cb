{#- One row per event and engagement rule it matches, up to as_of, with the decay factor that
    weighs it: the finest grain of the engagement score, so every point traces to an event. -#}
with

events as (
    select * from {{ ref('stg_raw__events') }}
),

engagement_rules as (
    select * from {{ ref('engagement_rules') }}
),

events_in_scope as (
    select
        *,
        ({{ leadscore.epoch_seconds(leadscore.as_of_timestamp()) }} - {{ leadscore.epoch_seconds('occurred_at') }})
        / 86400.0 as age_days
    from events
    where occurred_at <= {{ leadscore.as_of_timestamp() }}
),

candidate_matches as (
    select
        events_in_scope.event_id,
        events_in_scope.contact_id,
        events_in_scope.event_type,
        events_in_scope.occurred_at,
        events_in_scope.age_days,
        engagement_rules.rule_id,
        engagement_rules.category,
        engagement_rules.product_line,
        engagement_rules.points as rule_points,
        coalesce(engagement_rules.half_life_days, {{ leadscore.number_var('decay_half_life_days') }}) as half_life_days,
        lower(trim(engagement_rules.match_field)) as match_field,
        lower(trim(engagement_rules.operator)) as operator,
        engagement_rules.value as rule_value,
        case
            when lower(trim(engagement_rules.match_field)) = 'url' then events_in_scope.url
            when lower(trim(engagement_rules.match_field)) = 'asset' then events_in_scope.asset
            when lower(trim(engagement_rules.match_field)) = 'campaign' then events_in_scope.campaign
            when lower(trim(engagement_rules.match_field)) like 'properties.%'
                then {{ leadscore.json_text_value(
                    'events_in_scope.properties',
                    'substring(trim(engagement_rules.match_field), 12)'
                ) }}
        end as field_value
    from events_in_scope
    inner join engagement_rules
        on events_in_scope.event_type = lower(trim(engagement_rules.event_type))
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
        {{ dbt.concat(['event_id', "'|'", 'rule_id']) }} as event_rule_id,
        event_id,
        contact_id,
        rule_id,
        event_type,
        category,
        product_line,
        occurred_at,
        age_days,
        half_life_days,
        {{ leadscore.decay_factor('age_days', 'half_life_days') }} as decay_factor,
        rule_points as raw_points,
        rule_points * {{ leadscore.decay_factor('age_days', 'half_life_days') }} as points,
        age_days <= {{ leadscore.number_var('recent_window_days') }} as is_recent
    from matched
)

select * from final
