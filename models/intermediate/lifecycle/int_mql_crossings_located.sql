{#- Every upward crossing of mql_threshold, to the second: the instant T where a build as of T
    scores the contact at or over the threshold and a build as of T - 1 s under it.

    From int_lead_scores_at_instants, in time order per contact:
    - a pair of instants one second apart going from under to at-or-over is a crossing at the
      later one (an event, an adjustment, a recycle that dropped negative points...): `jump`;
    - a longer gap going from under to at-or-over rose continuously (a negative rule decaying):
      the gap is narrowed by a search that scores `branching` - 1 evenly spaced seconds inside it
      and keeps the sub-gap where the score first reaches the threshold, `search_steps` times
      (32^7 s is over a thousand years; macro crossing_search_shape), down to one second: `search`;
    - a contact already at or over the threshold at its first instant (its fit alone) has no
      crossing: `initial`, at no instant.
    A gap that starts and ends under the threshold is not searched: with per-rule half-lives or
    caps the score could rise over and fall back inside it without any event (see README).

    Between two consecutive instants nothing happens but decay: every event, adjustment start or
    expiry, recycle and inactivity start is an instant, and so is the second before it
    (int_lead_scores_at_instants). So a second inside a gap has the fit, the adjustments, the recycle
    in force and the events in force of the gap's first instant; only their decay differs. The search
    scores a probed second from those: each rule's events decayed to it and capped, the inactivity
    penalty, the engagement cap and the clamp, the engine's own macros. -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set search_shape = leadscore.crossing_search_shape() -%}
{%- set branching = 2 ** search_shape['bits'] -%}
{%- set search_steps = search_shape['steps'] -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{%- set engagement_after_penalty -%}
    (probe_totals.rule_points + case
        when {{ leadscore.is_inactive(
            leadscore.age_days('probe_totals.evaluated_epoch', 'span_state.last_scored_epoch'), 'settings.inactivity_days'
        ) }}
            then settings.inactivity_points
        else 0
    end)
{%- endset -%}

with

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

settings as (
    select * from {{ ref('stg_grid__settings') }}
),

sequenced as (
    select
        contact_id,
        evaluated_epoch,
        lead_score,
        engagement_score,
        lag(evaluated_epoch) over (partition by contact_id order by evaluated_epoch) as previous_epoch,
        lag(lead_score) over (partition by contact_id order by evaluated_epoch) as previous_score,
        lag(fit_score) over (partition by contact_id order by evaluated_epoch) as previous_fit_score,
        lag(adjustment_points) over (partition by contact_id order by evaluated_epoch) as previous_adjustment_points,
        row_number() over (partition by contact_id order by evaluated_epoch) as instant_number
    from instant_scores
),

initial_crossings as (
    select
        contact_id,
        cast(null as double) as crossed_epoch,
        cast(null as double) as score_before,
        lead_score as score_at,
        engagement_score as engagement_at,
        'initial' as located_by
    from sequenced
    where instant_number = 1 and lead_score >= {{ mql_threshold }}
),

upward as (
    select *
    from sequenced
    where previous_score < {{ mql_threshold }} and lead_score >= {{ mql_threshold }}
),

jump_crossings as (
    select
        contact_id,
        evaluated_epoch as crossed_epoch,
        previous_score as score_before,
        lead_score as score_at,
        engagement_score as engagement_at,
        'jump' as located_by
    from upward
    where evaluated_epoch - previous_epoch = 1
),

{# 0 .. 63: a list of values, one node of Spark's plan, which copies this CTE into every step #}
numbers_below_64 as (
    select numbers.number
    from (
        values {% for number in range(64) %}({{ number }}){{ ', ' if not loop.last }}{% endfor %}
    ) as numbers (number)
),

{# 0 .. branching (at most 4,096: macro crossing_search_shape); 0 and branching are a span's ends #}
step_indexes as (
    select low_digits.number + 64 * high_digits.number as step_index
    from numbers_below_64 as low_digits
    cross join numbers_below_64 as high_digits
    where low_digits.number + 64 * high_digits.number < {{ branching }}
    union all
    select {{ branching }} as step_index
),

{# the gaps to search, each a span of the search's first step #}
gaps as (
    select
        {{ dbt.concat([
            'contact_id', "'|'",
            'cast(cast(previous_epoch as ' ~ dbt.type_bigint() ~ ') as ' ~ dbt.type_string() ~ ')'
        ]) }} as span_id,
        contact_id,
        previous_epoch,
        previous_score,
        coalesce(previous_fit_score, 0) as fit_score,
        coalesce(previous_adjustment_points, 0) as adjustment_points,
        evaluated_epoch,
        lead_score,
        engagement_score
    from upward
    where evaluated_epoch - previous_epoch > 1
),

spans_0 as (
    select
        span_id,
        contact_id,
        previous_epoch as low_epoch,
        previous_score as low_score,
        cast(null as double) as low_engagement,
        evaluated_epoch as high_epoch,
        lead_score as high_score,
        engagement_score as high_engagement
    from gaps
),

{# what holds throughout a gap: that of its first instant #}
recycles as (
    select
        contact_id,
        {{ leadscore.epoch_seconds('recycled_at') }} as recycled_epoch
    from contact_recycles
),

span_recycles as (
    select
        gaps.span_id,
        max(recycles.recycled_epoch) as recycled_epoch
    from gaps
    inner join recycles
        on
            gaps.contact_id = recycles.contact_id
            and gaps.previous_epoch >= recycles.recycled_epoch
            and {{ reset_on_recycle }}
    group by gaps.span_id
),

span_events as (
    select
        gaps.span_id,
        matches.rule_id,
        matches.occurred_epoch,
        matches.raw_points,
        matches.half_life_days,
        matches.max_points,
        matches.is_unlock_rule
    from gaps
    inner join events_matched as matches
        on
            gaps.contact_id = matches.contact_id
            and gaps.previous_epoch >= matches.occurred_epoch
    left join span_recycles
        on gaps.span_id = span_recycles.span_id
    where not ({{ reset_on_recycle }} and coalesce(matches.occurred_epoch < span_recycles.recycled_epoch, false))
),

span_activity as (
    select
        span_id,
        max(occurred_epoch) as last_scored_epoch,
        max(is_unlock_rule) as has_unlock_event
    from span_events
    group by span_id
),

span_state as (
    select
        gaps.span_id,
        gaps.fit_score,
        gaps.adjustment_points,
        span_activity.last_scored_epoch,
        coalesce(span_activity.has_unlock_event, 0) as has_unlock_event
    from gaps
    left join span_activity
        on gaps.span_id = span_activity.span_id
),

{% for step in range(search_steps) %}

    {# the span's two ends, whose scores are known, and the seconds probed between them #}
    span_seconds_{{ step }} as (
        select
            spans_{{ step }}.span_id,
            spans_{{ step }}.contact_id,
            spans_{{ step }}.low_epoch,
            spans_{{ step }}.high_epoch,
            spans_{{ step }}.low_epoch
            + ceil((spans_{{ step }}.high_epoch - spans_{{ step }}.low_epoch) * step_indexes.step_index / {{ branching }}.0) as evaluated_epoch,
            step_indexes.step_index in (0, {{ branching }}) as is_end,
            case step_indexes.step_index
                when 0 then spans_{{ step }}.low_score
                when {{ branching }} then spans_{{ step }}.high_score
            end as known_score,
            case step_indexes.step_index
                when 0 then spans_{{ step }}.low_engagement
                when {{ branching }} then spans_{{ step }}.high_engagement
            end as known_engagement
        from spans_{{ step }}
        cross join step_indexes
    ),

    {# each second once: the CTEs below read the span through this one (Spark inlines every reference) #}
    points_{{ step }} as (
        select distinct
            {{ dbt.concat([
                'span_id', "'|'",
                'cast(cast(evaluated_epoch as ' ~ dbt.type_bigint() ~ ') as ' ~ dbt.type_string() ~ ')'
            ]) }} as instant_key,
            span_id,
            contact_id,
            evaluated_epoch,
            is_end,
            known_score,
            known_engagement
        from span_seconds_{{ step }}
        where is_end or (evaluated_epoch > low_epoch and evaluated_epoch < high_epoch)
    ),

    {# each rule's events decayed to each second probed, capped #}
    probe_rule_points_{{ step }} as (
        select
            points_{{ step }}.instant_key,
            points_{{ step }}.span_id,
            points_{{ step }}.evaluated_epoch,
            span_events.rule_id,
            {{ leadscore.capped_rule_points(
                'sum(span_events.raw_points * ' ~ leadscore.decay_factor(
                    leadscore.age_days('points_' ~ step ~ '.evaluated_epoch', 'span_events.occurred_epoch'),
                    'span_events.half_life_days'
                ) ~ ')',
                'max(span_events.max_points)'
            ) }} as points
        from points_{{ step }}
        inner join span_events
            on points_{{ step }}.span_id = span_events.span_id
        where not points_{{ step }}.is_end
        group by points_{{ step }}.instant_key, points_{{ step }}.span_id, points_{{ step }}.evaluated_epoch, span_events.rule_id
    ),

    probe_totals_{{ step }} as (
        select
            instant_key,
            span_id,
            evaluated_epoch,
            sum(points) as rule_points
        from probe_rule_points_{{ step }}
        group by instant_key, span_id, evaluated_epoch
    ),

    probe_engagement_{{ step }} as (
        select
            probe_totals.instant_key,
            {{ engagement_after_penalty }}
            + coalesce({{ leadscore.engagement_cap_points(engagement_after_penalty, 'span_state.has_unlock_event') }}, 0)
                as engagement_score
        from probe_totals_{{ step }} as probe_totals
        inner join span_state
            on probe_totals.span_id = span_state.span_id
        cross join settings
    ),

    {# a second without an event in force scores fit and adjustments alone #}
    span_points_{{ step }} as (
        select
            points_{{ step }}.span_id,
            points_{{ step }}.contact_id,
            points_{{ step }}.evaluated_epoch,
            case
                when points_{{ step }}.is_end then points_{{ step }}.known_score
                else {{ leadscore.clamp(
                    'span_state.fit_score + coalesce(probe_engagement_' ~ step ~ '.engagement_score, 0)'
                    ~ ' + span_state.adjustment_points',
                    score_min, score_max
                ) }}
            end as lead_score,
            case
                when points_{{ step }}.is_end then points_{{ step }}.known_engagement
                else coalesce(probe_engagement_{{ step }}.engagement_score, 0)
            end as engagement_score
        from points_{{ step }}
        inner join span_state
            on points_{{ step }}.span_id = span_state.span_id
        left join probe_engagement_{{ step }}
            on points_{{ step }}.instant_key = probe_engagement_{{ step }}.instant_key
    ),

    {# each point with the one probed just before it, and the span's first second probed at or
       over the threshold: one pass over span_points (Spark inlines every reference of a CTE) #}
    ordered_points_{{ step }} as (
        select
            span_id,
            contact_id,
            evaluated_epoch,
            lead_score,
            engagement_score,
            lag(evaluated_epoch) over (partition by span_id order by evaluated_epoch) as previous_epoch,
            lag(lead_score) over (partition by span_id order by evaluated_epoch) as previous_score,
            lag(engagement_score) over (partition by span_id order by evaluated_epoch) as previous_engagement,
            min(case when lead_score >= {{ mql_threshold }} then evaluated_epoch end)
                over (partition by span_id) as first_over_epoch
        from span_points_{{ step }}
    ),

    {# the sub-gap from the last second probed under the threshold to the first one at or over it #}
    spans_{{ step + 1 }} as (
        select
            span_id,
            contact_id,
            previous_epoch as low_epoch,
            previous_score as low_score,
            previous_engagement as low_engagement,
            evaluated_epoch as high_epoch,
            lead_score as high_score,
            engagement_score as high_engagement
        from ordered_points_{{ step }}
        where evaluated_epoch = first_over_epoch and previous_epoch is not null
    ),
{% endfor %}

searched_crossings as (
    select
        contact_id,
        high_epoch as crossed_epoch,
        low_score as score_before,
        high_score as score_at,
        high_engagement as engagement_at,
        'search' as located_by,
        high_epoch - low_epoch as search_resolution_seconds
    from spans_{{ search_steps }}
),

unioned as (
    select
        *,
        cast(0 as double) as search_resolution_seconds
    from initial_crossings
    union all
    select
        *,
        cast(1 as double) as search_resolution_seconds
    from jump_crossings
    union all
    select * from searched_crossings
),

final as (
    select
        {{ dbt.concat([
            'contact_id', "'|'",
            "coalesce(cast(cast(crossed_epoch as " ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ "), 'initial')"
        ]) }} as crossing_id,
        contact_id,
        crossed_epoch,
        {{ leadscore.timestamp_from_epoch('crossed_epoch') }} as crossed_at,
        score_before,
        score_at,
        engagement_at,
        located_by,
        search_resolution_seconds
    from unioned
)

select * from final
