{#- The engine's lead score at other instants than as_of, for mql_events: comma-separated CTEs,
    the last one named `name`, with one row per row of `instants` (instant_key, contact_id,
    evaluated_epoch: a whole number of seconds since 1970) and its fit_score, engagement_score,
    adjustment_points and lead_score as a build with that as_of would compute them.

    It applies the engine's own rules through the engine's own macros: an event counts from the
    instant it occurred (occurred_at <= as_of), decayed by leadscore.decay_factor of its
    leadscore.age_days; with recycle_mode reset, events before the latest recycle at or before
    the instant are dropped (one at the very instant of the recycle counts); each rule's total is
    capped by leadscore.capped_rule_points; the inactivity penalty (leadscore.is_inactive) and
    the engagement cap (leadscore.engagement_cap_points) follow; adjustments count while
    created_at <= instant < expires_at; the sum is clamped by leadscore.clamp.

    The CTEs it reads (names passed in):
    - event_matches: contact_id, rule_id, occurred_epoch, raw_points, half_life_days, max_points,
      is_unlock_rule (1/0), every event x rule it matches up to as_of, scanner clicks left out
      (int_engagement_events_matched);
    - recycles: contact_id, recycled_epoch (every change to recycle_status up to as_of);
    - adjustments: contact_id, points, created_epoch, expires_epoch;
    - fit_scores: contact_id, fit_score;
    - settings: inactivity_days, inactivity_points (stg_grid__settings). -#}
{% macro lead_score_at_instants(name, instants, event_matches, recycles, adjustments, fit_scores, settings) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode', ['reset', 'keep']) == 'reset') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{{ name }}__recycles_in_force as (
    select
        instants.instant_key,
        max(recycles.recycled_epoch) as recycled_epoch
    from {{ instants }} as instants
    inner join {{ recycles }} as recycles
        on
            instants.contact_id = recycles.contact_id
            and recycles.recycled_epoch <= instants.evaluated_epoch
    group by instants.instant_key
),

{{ name }}__events_in_force as (
    select
        instants.instant_key,
        matches.rule_id,
        matches.max_points,
        matches.occurred_epoch,
        matches.is_unlock_rule,
        matches.raw_points * {{ leadscore.decay_factor(
            leadscore.age_days('instants.evaluated_epoch', 'matches.occurred_epoch'),
            'matches.half_life_days'
        ) }} as points
    from {{ instants }} as instants
    inner join {{ event_matches }} as matches
        on
            instants.contact_id = matches.contact_id
            and matches.occurred_epoch <= instants.evaluated_epoch
    left join {{ name }}__recycles_in_force as recycled
        on instants.instant_key = recycled.instant_key
    where not ({{ reset_on_recycle }} and coalesce(matches.occurred_epoch < recycled.recycled_epoch, false))
),

{{ name }}__rule_totals as (
    select
        instant_key,
        rule_id,
        {{ leadscore.capped_rule_points('sum(points)', 'max(max_points)') }} as points,
        max(occurred_epoch) as last_scored_epoch,
        max(is_unlock_rule) as has_unlock_event
    from {{ name }}__events_in_force
    group by instant_key, rule_id
),

{{ name }}__engagement as (
    select
        instant_key,
        sum(points) as rule_points,
        max(last_scored_epoch) as last_scored_epoch,
        max(has_unlock_event) as has_unlock_event
    from {{ name }}__rule_totals
    group by instant_key
),

{{ name }}__adjustments as (
    select
        instants.instant_key,
        sum(adjustments.points) as adjustment_points
    from {{ instants }} as instants
    inner join {{ adjustments }} as adjustments
        on
            instants.contact_id = adjustments.contact_id
            and adjustments.created_epoch <= instants.evaluated_epoch
            and (adjustments.expires_epoch is null or adjustments.expires_epoch > instants.evaluated_epoch)
    group by instants.instant_key
),

{{ name }}__penalized as (
    select
        instants.instant_key,
        instants.contact_id,
        instants.evaluated_epoch,
        coalesce(fit.fit_score, 0) as fit_score,
        coalesce(adjustments.adjustment_points, 0) as adjustment_points,
        coalesce(engagement.rule_points, 0)
        + case
            when
                engagement.last_scored_epoch is not null
                and {{ leadscore.is_inactive(
                    leadscore.age_days('instants.evaluated_epoch', 'engagement.last_scored_epoch'),
                    'settings.inactivity_days'
                ) }}
                then settings.inactivity_points
            else 0
        end as engagement_after_penalty,
        coalesce(engagement.has_unlock_event, 0) as has_unlock_event,
        engagement.last_scored_epoch is not null as has_scored_events
    from {{ instants }} as instants
    cross join {{ settings }} as settings
    left join {{ fit_scores }} as fit
        on instants.contact_id = fit.contact_id
    left join {{ name }}__engagement as engagement
        on instants.instant_key = engagement.instant_key
    left join {{ name }}__adjustments as adjustments
        on instants.instant_key = adjustments.instant_key
),

{{ name }}__summed as (
    select
        instant_key,
        contact_id,
        evaluated_epoch,
        fit_score,
        adjustment_points,
        engagement_after_penalty
        + case
            when has_scored_events
                then coalesce({{ leadscore.engagement_cap_points('engagement_after_penalty', 'has_unlock_event') }}, 0)
            else 0
        end as engagement_score
    from {{ name }}__penalized
),

{{ name }} as (
    select
        instant_key,
        contact_id,
        evaluated_epoch,
        fit_score,
        engagement_score,
        adjustment_points,
        {{ leadscore.clamp('fit_score + engagement_score + adjustment_points', score_min, score_max) }} as lead_score
    from {{ name }}__summed
)
{%- endmacro %}
