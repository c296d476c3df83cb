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
      is_unlock_rule (1/0), every event x rule of the champion grid it matches up to as_of, scanner clicks left out
      (int_engagement_event_matches);
    - recycles: contact_id, recycled_epoch (every change to recycle_status up to as_of);
    - adjustments: contact_id, points, created_epoch, expires_epoch;
    - fit_scores: contact_id, fit_score;
    - settings: inactivity_days, inactivity_points (stg_grid__settings).

    engagement: how the engagement part is computed: 'pairwise' (every decay method; each instant
    with the earlier events of its contact), 'running_sums' (exponential decay; running sums per
    stream), or 'rule_sums' (exponential decay, at instants no earlier than the contact's latest
    event and recycle: event_matches is then a CTE of int_engagement_rule_sums rows, see
    instant_engagement_rule_sums). -#}
{% macro lead_score_at_instants(name, instants, event_matches, recycles, adjustments, fit_scores, settings, engagement='pairwise') -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{# the latest recycle at or before each instant, with recycle_mode reset: events before it are dropped #}
{{ name }}__recycles_in_force as (
    select
        instants.instant_key,
        max(recycles.recycled_epoch) as recycled_epoch
    from {{ instants }} as instants
    inner join {{ recycles }} as recycles
        on
            instants.contact_id = recycles.contact_id
            and recycles.recycled_epoch <= instants.evaluated_epoch
            and {{ reset_on_recycle }}
    group by instants.instant_key
),

{%- if engagement == 'running_sums' %}
{{ leadscore.instant_engagement_running_sums(name, instants, event_matches, recycles, reset_on_recycle) }},
{%- elif engagement == 'rule_sums' %}
{{ leadscore.instant_engagement_rule_sums(name, instants, event_matches) }},
{%- else %}
{{ leadscore.instant_engagement_pairwise(name, instants, event_matches, recycles, reset_on_recycle) }},
{%- endif %}

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
        {%- if engagement == 'running_sums' %}
        on
            instants.contact_id = engagement.contact_id
            and instants.evaluated_epoch = engagement.evaluated_epoch
        {%- else %}
        on instants.instant_key = engagement.instant_key
        {%- endif %}
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

{#- The engagement part of lead_score_at_instants by pairing every instant with every earlier
    event of its contact: exact for every decay method, quadratic in a contact's events. Reads the
    CTE `name`__recycles_in_force; ends with the CTE `name`__engagement (instant_key, rule_points,
    last_scored_epoch, has_unlock_event). -#}
{% macro instant_engagement_pairwise(name, instants, event_matches, recycles, reset_on_recycle) -%}
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

{{ leadscore.instant_engagement_from_rule_totals(name) }}
{%- endmacro %}

{#- The engagement part of lead_score_at_instants with exponential decay, from running sums: no
    instant is paired with the events before it, so the cost grows with a contact's instants x
    streams, not instants x events.

    A stream is a capped rule on its own (its cap applies to its decayed total), or all uncapped
    rules of one half-life together (their decayed totals simply add up). Within a stream and a
    segment (the events since the recycle in force; the whole history with recycle_mode keep), an
    instant T sees sum(points x 0.5 ^ ((T - t) / h)) over the events t <= T, which is
    0.5 ^ ((T - t_ref) / h) x sum(points x 0.5 ^ ((t_ref - t) / h)): a running sum in time order,
    t_ref the stream's latest event (so no term weighs more than 1 and nothing overflows). An
    instant whose events in force all happened at T itself takes their undecayed sum, exactly
    what a build as of T computes.

    Reads the CTE `name`__recycles_in_force. event_matches must also carry event_rule_id (unique
    per event and rule), and each instant
    must be the only one of its contact at its second. Ends with the CTE `name`__engagement keyed
    by contact_id and evaluated_epoch. -#}
{% macro instant_engagement_running_sums(name, instants, event_matches, recycles, reset_on_recycle) -%}
{# the recycle each event comes after: the start of its segment #}
{{ name }}__event_segments as (
    select
        matches.event_rule_id,
        max(recycles.recycled_epoch) as segment_epoch
    from {{ event_matches }} as matches
    inner join {{ recycles }} as recycles
        on
            matches.contact_id = recycles.contact_id
            and recycles.recycled_epoch <= matches.occurred_epoch
            and {{ reset_on_recycle }}
    group by matches.event_rule_id
),

{{ name }}__stream_events as (
    select
        matches.contact_id,
        case
            when matches.max_points is null
                then {{ dbt.concat(["'~uncapped~'", 'cast(matches.half_life_days as ' ~ dbt.type_string() ~ ')']) }}
            else matches.rule_id
        end as stream_id,
        coalesce(segments.segment_epoch, -1.0) as segment_epoch,
        matches.occurred_epoch,
        matches.raw_points,
        matches.half_life_days,
        matches.max_points,
        matches.is_unlock_rule
    from {{ event_matches }} as matches
    left join {{ name }}__event_segments as segments
        on matches.event_rule_id = segments.event_rule_id
),

{# a small number for each stream: the long sequence below sorts on it #}
{{ name }}__stream_numbers as (
    select
        stream_id,
        row_number() over (order by stream_id) as stream_number
    from (select distinct stream_id from {{ name }}__stream_events) as stream_ids
),

{{ name }}__numbered_events as (
    select
        stream_events.contact_id,
        stream_numbers.stream_number,
        stream_events.segment_epoch,
        stream_events.occurred_epoch,
        stream_events.raw_points,
        stream_events.half_life_days,
        stream_events.max_points,
        stream_events.is_unlock_rule
    from {{ name }}__stream_events as stream_events
    inner join {{ name }}__stream_numbers as stream_numbers
        on stream_events.stream_id = stream_numbers.stream_id
),

{{ name }}__streams as (
    select
        contact_id,
        stream_number,
        max(half_life_days) as half_life_days,
        max(max_points) as max_points,
        min(occurred_epoch) as first_epoch,
        max(occurred_epoch) as reference_epoch
    from {{ name }}__numbered_events
    group by contact_id, stream_number
),

{# per stream and segment: its first instant and the points that happened then #}
{{ name }}__segment_starts as (
    select
        contact_id,
        stream_number,
        segment_epoch,
        min(occurred_epoch) as first_epoch
    from {{ name }}__numbered_events
    group by contact_id, stream_number, segment_epoch
),

{{ name }}__segment_first_points as (
    select
        starts.contact_id,
        starts.stream_number,
        starts.segment_epoch,
        starts.first_epoch,
        sum(numbered_events.raw_points) as first_points
    from {{ name }}__segment_starts as starts
    inner join {{ name }}__numbered_events as numbered_events
        on
            starts.contact_id = numbered_events.contact_id
            and starts.stream_number = numbered_events.stream_number
            and starts.segment_epoch = numbered_events.segment_epoch
            and starts.first_epoch = numbered_events.occurred_epoch
    group by starts.contact_id, starts.stream_number, starts.segment_epoch, starts.first_epoch
),

{# events (row_kind 0) and instants (row_kind 1, once per stream of their contact that has begun)
   in one sequence: at equal times an event comes first, it counts at its own instant #}
{{ name }}__stream_rows as (
    select
        numbered_events.contact_id,
        numbered_events.stream_number,
        numbered_events.segment_epoch,
        numbered_events.occurred_epoch as row_epoch,
        0 as row_kind,
        numbered_events.raw_points * {{ leadscore.decay_factor(
            leadscore.age_days('streams.reference_epoch', 'numbered_events.occurred_epoch'), 'streams.half_life_days'
        ) }} as weighted_points,
        numbered_events.is_unlock_rule
    from {{ name }}__numbered_events as numbered_events
    inner join {{ name }}__streams as streams
        on
            numbered_events.contact_id = streams.contact_id
            and numbered_events.stream_number = streams.stream_number
    union all
    select
        instants.contact_id,
        streams.stream_number,
        coalesce(recycled.recycled_epoch, -1.0) as segment_epoch,
        instants.evaluated_epoch as row_epoch,
        1 as row_kind,
        cast(null as double) as weighted_points,
        cast(null as integer) as is_unlock_rule
    from {{ instants }} as instants
    inner join {{ name }}__streams as streams
        on
            instants.contact_id = streams.contact_id
            and instants.evaluated_epoch >= streams.first_epoch
    left join {{ name }}__recycles_in_force as recycled
        on instants.instant_key = recycled.instant_key
),

{%- set running_frame = 'partition by contact_id, stream_number, segment_epoch order by row_epoch, row_kind'
    ~ ' rows between unbounded preceding and current row' %}
{{ name }}__running as (
    select
        contact_id,
        stream_number,
        segment_epoch,
        row_kind,
        row_epoch,
        sum(weighted_points) over ({{ running_frame }}) as weighted_points,
        max(case when row_kind = 0 then row_epoch end) over ({{ running_frame }}) as last_scored_epoch,
        max(is_unlock_rule) over ({{ running_frame }}) as has_unlock_event
    from {{ name }}__stream_rows
),

{{ name }}__stream_totals as (
    select
        running.contact_id,
        running.row_epoch as evaluated_epoch,
        {{ leadscore.capped_rule_points(
            'case when first_points.first_epoch = running.row_epoch then first_points.first_points'
            ~ ' else running.weighted_points * '
            ~ leadscore.decay_factor(
                leadscore.age_days('running.row_epoch', 'streams.reference_epoch'), 'streams.half_life_days'
            )
            ~ ' end',
            'streams.max_points'
        ) }} as points,
        running.last_scored_epoch,
        running.has_unlock_event
    from {{ name }}__running as running
    inner join {{ name }}__streams as streams
        on
            running.contact_id = streams.contact_id
            and running.stream_number = streams.stream_number
    inner join {{ name }}__segment_first_points as first_points
        on
            running.contact_id = first_points.contact_id
            and running.stream_number = first_points.stream_number
            and running.segment_epoch = first_points.segment_epoch
    where running.row_kind = 1 and running.last_scored_epoch is not null
),

{{ name }}__engagement as (
    select
        contact_id,
        evaluated_epoch,
        sum(points) as rule_points,
        max(last_scored_epoch) as last_scored_epoch,
        max(has_unlock_event) as has_unlock_event
    from {{ name }}__stream_totals
    group by contact_id, evaluated_epoch
)
{%- endmacro %}

{#- The inputs of lead_score_at_instants for the contacts of the CTE `contacts` (contact_id), as
    comma-separated CTEs fit_scores, event_matches, recycles and adjustments, from the CTEs
    fit_rules_applied (int_fit_rules_applied), events_matched (int_engagement_event_matches, every row: recycles are applied per instant),
    status_changes (int_lead_status_changes) and score_adjustments
    (int_score_adjustments). -#}
{% macro instant_scoring_inputs(contacts) -%}
fit_scores as (
    select
        fit_rules_applied.contact_id,
        sum(fit_rules_applied.points) as fit_score
    from fit_rules_applied
    inner join {{ contacts }}
        on fit_rules_applied.contact_id = {{ contacts }}.contact_id
    group by fit_rules_applied.contact_id
),

{{ leadscore.instant_event_inputs(contacts) }}
{%- endmacro %}

{#- The event-side inputs of lead_score_at_instants for the contacts of the CTE `contacts`: the
    CTEs `prefix`event_matches, `prefix`recycles and `prefix`adjustments, from the CTEs
    events_matched, status_changes and score_adjustments (see instant_scoring_inputs). -#}
{% macro instant_event_inputs(contacts, prefix='') -%}
{{ prefix }}event_matches as (
    select events_matched.*
    from events_matched
    inner join {{ contacts }}
        on events_matched.contact_id = {{ contacts }}.contact_id
),

{{ prefix }}recycles as (
    select
        status_changes.contact_id,
        {{ leadscore.epoch_seconds('status_changes.changed_at') }} as recycled_epoch
    from status_changes
    inner join {{ contacts }}
        on status_changes.contact_id = {{ contacts }}.contact_id
    where
        status_changes.status = lower('{{ var("recycle_status") }}')
        and status_changes.changed_at <= {{ leadscore.as_of_timestamp() }}
),

{{ prefix }}adjustments as (
    select
        score_adjustments.contact_id,
        score_adjustments.points,
        {{ leadscore.epoch_seconds('score_adjustments.created_at') }} as created_epoch,
        {{ leadscore.epoch_seconds('score_adjustments.expires_at') }} as expires_epoch
    from score_adjustments
    inner join {{ contacts }}
        on score_adjustments.contact_id = {{ contacts }}.contact_id
    where score_adjustments.created_at <= {{ leadscore.as_of_timestamp() }}
)
{%- endmacro %}

{#- The engagement part of lead_score_at_instants from int_engagement_rule_sums, for instants no
    earlier than the contact's latest event and recycle (nothing has happened since the running
    sums were taken): each rule's decayed total is rule_points x decay_weight x 0.5 ^ ((instant -
    last occurrence) / half-life), summed over product lines and capped. `rule_sums` is a CTE
    with contact_id, rule_id, rule_points, decay_weight, half_life_days, last_occurred_epoch,
    max_points and is_unlock_rule (1/0). Ends with the CTE `name`__engagement (instant_key,
    rule_points, last_scored_epoch, has_unlock_event). -#}
{% macro instant_engagement_rule_sums(name, instants, rule_sums) -%}
{{ name }}__rule_totals as (
    select
        instants.instant_key,
        sums.rule_id,
        {{ leadscore.capped_rule_points(
            'sum(sums.rule_points * sums.decay_weight * power(0.5, '
            ~ leadscore.age_days('instants.evaluated_epoch', 'sums.last_occurred_epoch') ~ ' / sums.half_life_days))',
            'max(sums.max_points)'
        ) }} as points,
        max(sums.last_occurred_epoch) as last_scored_epoch,
        max(sums.is_unlock_rule) as has_unlock_event
    from {{ instants }} as instants
    inner join {{ rule_sums }} as sums
        on
            instants.contact_id = sums.contact_id
            and sums.last_occurred_epoch <= instants.evaluated_epoch
    group by instants.instant_key, sums.rule_id
),

{{ leadscore.instant_engagement_from_rule_totals(name) }}
{%- endmacro %}

{#- The CTE `name`__engagement (instant_key, rule_points, last_scored_epoch, has_unlock_event) from
    the CTE `name`__rule_totals (one row per instant and rule: points after the cap,
    last_scored_epoch, has_unlock_event): the last step of the pairing and the rule-sums paths. -#}
{% macro instant_engagement_from_rule_totals(name) -%}
{{ name }}__engagement as (
    select
        instant_key,
        sum(points) as rule_points,
        max(last_scored_epoch) as last_scored_epoch,
        max(has_unlock_event) as has_unlock_event
    from {{ name }}__rule_totals
    group by instant_key
)
{%- endmacro %}
