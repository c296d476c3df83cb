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
    caps the score could rise over and fall back inside it without any event (see README). -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set search_shape = leadscore.crossing_search_shape() -%}
{%- set branching = 2 ** search_shape['bits'] -%}
{%- set search_steps = search_shape['steps'] -%}

with

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
    where grid_role = 'champion'
),

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

score_adjustments as (
    select * from {{ ref('int_score_adjustments') }}
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

{# what the searches score: only the contacts with a gap to search #}
searched_contacts as (
    select distinct contact_id
    from upward
    where evaluated_epoch - previous_epoch > 1
),

{{ leadscore.instant_scoring_inputs('searched_contacts') }},

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

spans_0 as (
    select
        {{ dbt.concat([
            'contact_id', "'|'",
            'cast(cast(previous_epoch as ' ~ dbt.type_bigint() ~ ') as ' ~ dbt.type_string() ~ ')'
        ]) }} as span_id,
        contact_id,
        previous_epoch as low_epoch,
        previous_score as low_score,
        cast(null as double) as low_engagement,
        evaluated_epoch as high_epoch,
        lead_score as high_score,
        engagement_score as high_engagement
    from upward
    where evaluated_epoch - previous_epoch > 1
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

    probes_{{ step }} as (
        select
            instant_key,
            span_id,
            contact_id,
            evaluated_epoch
        from points_{{ step }}
        where not is_end
    ),

    {{ leadscore.lead_score_at_instants(
        'probe_scores_' ~ step, 'probes_' ~ step, 'event_matches', 'recycles', 'adjustments', 'fit_scores', 'settings'
    ) }},

    span_points_{{ step }} as (
        select
            points_{{ step }}.span_id,
            points_{{ step }}.contact_id,
            points_{{ step }}.evaluated_epoch,
            case
                when points_{{ step }}.is_end then points_{{ step }}.known_score
                else probe_scores_{{ step }}.lead_score
            end as lead_score,
            case
                when points_{{ step }}.is_end then points_{{ step }}.known_engagement
                else probe_scores_{{ step }}.engagement_score
            end as engagement_score
        from points_{{ step }}
        left join probe_scores_{{ step }}
            on points_{{ step }}.instant_key = probe_scores_{{ step }}.instant_key
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
