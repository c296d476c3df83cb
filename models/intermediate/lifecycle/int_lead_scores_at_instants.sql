{#- The lead score of a contact at every instant where it can jump, and one second before each,
    as a build with that as_of would compute it: the raw material of mql_events.

    Between two such instants no event, adjustment or recycle happens, so the score only moves
    continuously (decay). The instants, whole seconds up to as_of: each scored event's instant
    (rounded up to the second: as_of has whole seconds), each adjustment's start and expiry, each
    recycle, the second the inactivity penalty starts after an event followed by none within
    inactivity_days, with decay_method window the second an event leaves the window, and as_of.

    Only the contacts of int_mql_candidates (those that could ever reach mql_threshold) are
    evaluated. The score at an instant applies the engine's own rules through the engine's own
    macros: an event counts from the instant it occurred, decayed by decay_factor of its age_days;
    with recycle_mode reset, events before the latest recycle at or before the instant are dropped
    (one at the very second of the recycle counts); each rule's total is capped by
    capped_rule_points; the inactivity penalty (is_inactive) and the engagement cap
    (engagement_cap_points) follow; adjustments count while created_at <= instant < expires_at; the
    sum is clamped by clamp.

    The engagement part, three ways:
    - with exponential decay, from running sums per contact and stream (a capped rule alone, or all
      uncapped rules of one half-life together): no instant is paired with the events before it, so
      the cost grows with a contact's instants x streams, not instants x events. Within a stream and
      a segment (the events since the recycle in force; the whole history with recycle_mode keep),
      an instant T sees sum(points x 0.5 ^ ((T - t) / h)) over the events t <= T, which is
      0.5 ^ ((T - t_ref) / h) x sum(points x 0.5 ^ ((t_ref - t) / h)): a running sum in time order,
      t_ref the stream's latest event (no term weighs more than 1, nothing overflows). An instant
      whose events in force all happened at T itself takes their undecayed sum, exactly what a
      build as of T computes;
    - with the other decay methods, by pairing each instant with the earlier events of its contact
      (exact for every method, quadratic in a contact's events);
    - for the instants of brought-forward contacts (below), from int_engagement_rule_sums.

    Incremental on DuckDB (macros/lifecycle/incremental_instants.sql): a build rescores every
    instant of the touched candidates, and brings the untouched ones forward: their rows before
    the stored as_of are kept, and their instants from then to as_of are scored from
    int_engagement_rule_sums (no event happened since, so each rule's decayed total is its running
    sum brought forward). -#}
{{ config(
    materialized=leadscore.engagement_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ leadscore.instants_incremental_pre_hook() }}"
) }}
{%- set decay_method = leadscore.choice_var('decay_method') -%}
{%- set window_decay = decay_method == 'window' -%}
{%- set running_sums = decay_method == 'exponential' -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{%- set as_of_epoch = leadscore.epoch_seconds(leadscore.as_of_timestamp()) -%}
{%- set state = leadscore.instants_incremental_state() -%}
{%- set since_epoch = leadscore.instants_since_epoch(state) -%}
{%- set stored_filter = '1 = 1' if state.reuse else '1 = 0' -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}

with

candidates as (
    select * from {{ ref('int_mql_candidates') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

score_adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

settings as (
    select * from {{ ref('stg_grid__settings') }}
),

rule_sums as (
    select * from {{ ref('int_engagement_rule_sums') }}
),

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

{# after the pre-hook: the candidates whose instants before the stored as_of are kept (none on a
   full build) #}
stored_contacts as (
    select distinct contact_id
    from {{ leadscore.instants_stored_rows(state) }}
    where {{ stored_filter }}
),

{# every candidate, rescored (every instant) or brought forward (the instants from the stored
   as_of on) #}
contacts_to_score as (
    select
        candidates.contact_id,
        candidates.fit_score,
        stored_contacts.contact_id is not null as is_brought_forward
    from candidates
    left join stored_contacts
        on candidates.contact_id = stored_contacts.contact_id
),

{# ---- what happened to them up to as_of ---- #}

event_matches as (
    select
        events_matched.*,
        contacts_to_score.is_brought_forward
    from events_matched
    inner join contacts_to_score
        on events_matched.contact_id = contacts_to_score.contact_id
),

recycles as (
    select
        contact_recycles.contact_id,
        {{ leadscore.epoch_seconds('contact_recycles.recycled_at') }} as recycled_epoch
    from contact_recycles
    inner join contacts_to_score
        on contact_recycles.contact_id = contacts_to_score.contact_id
),

adjustments as (
    select
        score_adjustments.contact_id,
        score_adjustments.points,
        {{ leadscore.epoch_seconds('score_adjustments.created_at') }} as created_epoch,
        {{ leadscore.epoch_seconds('score_adjustments.expires_at') }} as expires_epoch
    from score_adjustments
    inner join contacts_to_score
        on score_adjustments.contact_id = contacts_to_score.contact_id
    where score_adjustments.created_at <= {{ leadscore.as_of_timestamp() }}
),

{# ---- the instants ---- #}

{# a brought-forward contact's instants start at the stored as_of: an inactivity start then
   comes from an event at most inactivity_days (and a second) older #}
event_instants as (
    select distinct
        event_matches.contact_id,
        event_matches.occurred_epoch
    from event_matches
    cross join settings
    where
        not event_matches.is_brought_forward
        or event_matches.occurred_epoch >= {{ since_epoch }} - settings.inactivity_days * 86400.0 - 2.0
),

{# the penalty starts once the last event is older than inactivity_days: only after an event
   that no other event follows within that time #}
event_gaps as (
    select
        contact_id,
        occurred_epoch,
        lead(occurred_epoch) over (partition by contact_id order by occurred_epoch) as next_epoch
    from event_instants
),

jumps as (
    select
        contact_id,
        ceil(occurred_epoch) as instant_epoch
    from event_instants
    union all
    select
        contact_id,
        ceil(created_epoch) as instant_epoch
    from adjustments
    union all
    select
        contact_id,
        ceil(expires_epoch) as instant_epoch
    from adjustments
    where expires_epoch is not null
    union all
    select
        contact_id,
        ceil(recycled_epoch) as instant_epoch
    from recycles
    union all
    select
        event_gaps.contact_id,
        floor(event_gaps.occurred_epoch + settings.inactivity_days * 86400.0) + 1 as instant_epoch
    from event_gaps
    cross join settings
    where
        event_gaps.next_epoch is null
        or event_gaps.next_epoch > event_gaps.occurred_epoch + settings.inactivity_days * 86400.0
    {%- if window_decay %}
    union all
    select
        contact_id,
        floor(occurred_epoch + 2.0 * half_life_days * 86400.0) + 1 as instant_epoch
    from event_matches
    {%- endif %}
),

evaluated as (
    select
        contact_id,
        instant_epoch as evaluated_epoch
    from jumps
    union all
    select
        contact_id,
        instant_epoch - 1 as evaluated_epoch
    from jumps
    union all
    select
        contact_id,
        {{ as_of_epoch }} as evaluated_epoch
    from contacts_to_score
),

instants as (
    select distinct
        {{ dbt.concat([
            'evaluated.contact_id', "'|'",
            'cast(cast(evaluated.evaluated_epoch as ' ~ dbt.type_bigint() ~ ') as ' ~ dbt.type_string() ~ ')'
        ]) }} as instant_key,
        evaluated.contact_id,
        cast(evaluated.evaluated_epoch as double) as evaluated_epoch,
        contacts_to_score.is_brought_forward
    from evaluated
    inner join contacts_to_score
        on evaluated.contact_id = contacts_to_score.contact_id
    where
        evaluated.evaluated_epoch <= {{ as_of_epoch }}
        and (not contacts_to_score.is_brought_forward or evaluated.evaluated_epoch >= {{ since_epoch }})
),

{# ---- the engagement of rescored contacts ---- #}

rescored_instants as (
    select *
    from instants
    where not is_brought_forward
),

rescored_event_matches as (
    select *
    from event_matches
    where not is_brought_forward
),

{# the latest recycle at or before each instant, with recycle_mode reset: events before it are dropped #}
recycles_in_force as (
    select
        rescored_instants.instant_key,
        max(recycles.recycled_epoch) as recycled_epoch
    from rescored_instants
    inner join recycles
        on
            rescored_instants.contact_id = recycles.contact_id
            and rescored_instants.evaluated_epoch >= recycles.recycled_epoch
            and {{ reset_on_recycle }}
    group by rescored_instants.instant_key
),

{%- if running_sums %}

    {# the recycle each event comes after: the start of its segment #}
    event_segments as (
        select
            rescored_event_matches.event_rule_id,
            max(recycles.recycled_epoch) as segment_epoch
        from rescored_event_matches
        inner join recycles
            on
                rescored_event_matches.contact_id = recycles.contact_id
                and rescored_event_matches.occurred_epoch >= recycles.recycled_epoch
                and {{ reset_on_recycle }}
        group by rescored_event_matches.event_rule_id
    ),

    stream_events as (
        select
            rescored_event_matches.contact_id,
            case
                when rescored_event_matches.max_points is null
                    then {{ dbt.concat([
                    "'~uncapped~'", 'cast(rescored_event_matches.half_life_days as ' ~ dbt.type_string() ~ ')'
                ]) }}
                else rescored_event_matches.rule_id
            end as stream_id,
            coalesce(event_segments.segment_epoch, -1.0) as segment_epoch,
            rescored_event_matches.occurred_epoch,
            rescored_event_matches.raw_points,
            rescored_event_matches.half_life_days,
            rescored_event_matches.max_points,
            rescored_event_matches.is_unlock_rule
        from rescored_event_matches
        left join event_segments
            on rescored_event_matches.event_rule_id = event_segments.event_rule_id
    ),

    {# a small number for each stream: the long sequence below sorts on it #}
    stream_numbers as (
        select
            stream_id,
            row_number() over (order by stream_id) as stream_number
        from (select distinct stream_id from stream_events) as stream_ids
    ),

    numbered_events as (
        select
            stream_events.contact_id,
            stream_numbers.stream_number,
            stream_events.segment_epoch,
            stream_events.occurred_epoch,
            stream_events.raw_points,
            stream_events.half_life_days,
            stream_events.max_points,
            stream_events.is_unlock_rule
        from stream_events
        inner join stream_numbers
            on stream_events.stream_id = stream_numbers.stream_id
    ),

    streams as (
        select
            contact_id,
            stream_number,
            max(half_life_days) as half_life_days,
            max(max_points) as max_points,
            min(occurred_epoch) as first_epoch,
            max(occurred_epoch) as reference_epoch
        from numbered_events
        group by contact_id, stream_number
    ),

    {# per stream and segment: its first instant and the points that happened then #}
    segment_starts as (
        select
            contact_id,
            stream_number,
            segment_epoch,
            min(occurred_epoch) as first_epoch
        from numbered_events
        group by contact_id, stream_number, segment_epoch
    ),

    segment_first_points as (
        select
            segment_starts.contact_id,
            segment_starts.stream_number,
            segment_starts.segment_epoch,
            segment_starts.first_epoch,
            sum(numbered_events.raw_points) as first_points
        from segment_starts
        inner join numbered_events
            on
                segment_starts.contact_id = numbered_events.contact_id
                and segment_starts.stream_number = numbered_events.stream_number
                and segment_starts.segment_epoch = numbered_events.segment_epoch
                and segment_starts.first_epoch = numbered_events.occurred_epoch
        group by segment_starts.contact_id, segment_starts.stream_number, segment_starts.segment_epoch, segment_starts.first_epoch
    ),

{# events (row_kind 0) and instants (row_kind 1, once per stream of their contact that has begun)
   in one sequence: at equal times an event comes first, it counts at its own instant #}
    stream_rows as (
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
        from numbered_events
        inner join streams
            on
                numbered_events.contact_id = streams.contact_id
                and numbered_events.stream_number = streams.stream_number
        union all
        select
            rescored_instants.contact_id,
            streams.stream_number,
            coalesce(recycles_in_force.recycled_epoch, -1.0) as segment_epoch,
            rescored_instants.evaluated_epoch as row_epoch,
            1 as row_kind,
            cast(null as double) as weighted_points,
            cast(null as integer) as is_unlock_rule
        from rescored_instants
        inner join streams
            on
                rescored_instants.contact_id = streams.contact_id
                and rescored_instants.evaluated_epoch >= streams.first_epoch
        left join recycles_in_force
            on rescored_instants.instant_key = recycles_in_force.instant_key
    ),

{%- set running_frame = 'partition by contact_id, stream_number, segment_epoch order by row_epoch, row_kind'
    ~ ' rows between unbounded preceding and current row' %}

    running as (
        select
            contact_id,
            stream_number,
            segment_epoch,
            row_kind,
            row_epoch,
            sum(weighted_points) over ({{ running_frame }}) as weighted_points,
            max(case when row_kind = 0 then row_epoch end) over ({{ running_frame }}) as last_scored_epoch,
            max(is_unlock_rule) over ({{ running_frame }}) as has_unlock_event
        from stream_rows
    ),

    stream_totals as (
        select
            running.contact_id,
            running.row_epoch as evaluated_epoch,
        {{ leadscore.capped_rule_points(
            'case when segment_first_points.first_epoch = running.row_epoch then segment_first_points.first_points'
            ~ ' else running.weighted_points * '
            ~ leadscore.decay_factor(
                leadscore.age_days('running.row_epoch', 'streams.reference_epoch'), 'streams.half_life_days'
            )
            ~ ' end',
            'streams.max_points'
        ) }} as points,
            running.last_scored_epoch,
            running.has_unlock_event
        from running
        inner join streams
            on
                running.contact_id = streams.contact_id
                and running.stream_number = streams.stream_number
        inner join segment_first_points
            on
                running.contact_id = segment_first_points.contact_id
                and running.stream_number = segment_first_points.stream_number
                and running.segment_epoch = segment_first_points.segment_epoch
        where running.row_kind = 1 and running.last_scored_epoch is not null
    ),

    rescored_engagement as (
        select
            rescored_instants.instant_key,
            sum(stream_totals.points) as rule_points,
            max(stream_totals.last_scored_epoch) as last_scored_epoch,
            max(stream_totals.has_unlock_event) as has_unlock_event
        from stream_totals
        inner join rescored_instants
            on
                stream_totals.contact_id = rescored_instants.contact_id
                and stream_totals.evaluated_epoch = rescored_instants.evaluated_epoch
        group by rescored_instants.instant_key
    ),

{%- else %}

events_in_force as (
    select
        rescored_instants.instant_key,
        rescored_event_matches.rule_id,
        rescored_event_matches.max_points,
        rescored_event_matches.occurred_epoch,
        rescored_event_matches.is_unlock_rule,
        rescored_event_matches.raw_points * {{ leadscore.decay_factor(
            leadscore.age_days('rescored_instants.evaluated_epoch', 'rescored_event_matches.occurred_epoch'),
            'rescored_event_matches.half_life_days'
        ) }} as points
    from rescored_instants
    inner join rescored_event_matches
        on
            rescored_instants.contact_id = rescored_event_matches.contact_id
            and rescored_instants.evaluated_epoch >= rescored_event_matches.occurred_epoch
    left join recycles_in_force
        on rescored_instants.instant_key = recycles_in_force.instant_key
    where not (
        {{ reset_on_recycle }} and coalesce(rescored_event_matches.occurred_epoch < recycles_in_force.recycled_epoch, false)
    )
),

rescored_rule_totals as (
    select
        instant_key,
        rule_id,
        {{ leadscore.capped_rule_points('sum(points)', 'max(max_points)') }} as points,
        max(occurred_epoch) as last_scored_epoch,
        max(is_unlock_rule) as has_unlock_event
    from events_in_force
    group by instant_key, rule_id
),

rescored_engagement as (
    select
        instant_key,
        sum(points) as rule_points,
        max(last_scored_epoch) as last_scored_epoch,
        max(has_unlock_event) as has_unlock_event
    from rescored_rule_totals
    group by instant_key
),

{%- endif %}

{# ---- the engagement of brought-forward contacts: nothing happened since their running sums ---- #}

brought_forward_rule_sums as (
    select
        rule_sums.contact_id,
        rule_sums.rule_id,
        rule_sums.rule_points,
        rule_sums.decay_weight,
        rule_sums.half_life_days,
        {{ leadscore.epoch_seconds('rule_sums.last_occurred_at') }} as last_occurred_epoch,
        engagement_rules.max_points,
        case
            when rule_sums.rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }}) then 1
            else 0
        end as is_unlock_rule
    from rule_sums
    inner join contacts_to_score
        on rule_sums.contact_id = contacts_to_score.contact_id
    inner join engagement_rules
        on rule_sums.rule_id = engagement_rules.rule_id
    where contacts_to_score.is_brought_forward
),

{# each rule's decayed total: rule_points x decay_weight x 0.5 ^ ((instant - last occurrence) /
   half-life), summed over product lines and capped #}
brought_forward_rule_totals as (
    select
        instants.instant_key,
        brought_forward_rule_sums.rule_id,
        {{ leadscore.capped_rule_points(
            'sum(brought_forward_rule_sums.rule_points * brought_forward_rule_sums.decay_weight * power(0.5, '
            ~ leadscore.age_days('instants.evaluated_epoch', 'brought_forward_rule_sums.last_occurred_epoch')
            ~ ' / brought_forward_rule_sums.half_life_days))',
            'max(brought_forward_rule_sums.max_points)'
        ) }} as points,
        max(brought_forward_rule_sums.last_occurred_epoch) as last_scored_epoch,
        max(brought_forward_rule_sums.is_unlock_rule) as has_unlock_event
    from instants
    inner join brought_forward_rule_sums
        on
            instants.contact_id = brought_forward_rule_sums.contact_id
            and instants.evaluated_epoch >= brought_forward_rule_sums.last_occurred_epoch
    where instants.is_brought_forward
    group by instants.instant_key, brought_forward_rule_sums.rule_id
),

brought_forward_engagement as (
    select
        instant_key,
        sum(points) as rule_points,
        max(last_scored_epoch) as last_scored_epoch,
        max(has_unlock_event) as has_unlock_event
    from brought_forward_rule_totals
    group by instant_key
),

{# ---- the score at each instant ---- #}

engagement as (
    select * from rescored_engagement
    union all
    select * from brought_forward_engagement
),

adjustments_in_force as (
    select
        instants.instant_key,
        sum(adjustments.points) as adjustment_points
    from instants
    inner join adjustments
        on
            instants.contact_id = adjustments.contact_id
            and instants.evaluated_epoch >= adjustments.created_epoch
            and (adjustments.expires_epoch is null or instants.evaluated_epoch < adjustments.expires_epoch)
    group by instants.instant_key
),

penalized as (
    select
        instants.instant_key,
        instants.contact_id,
        instants.evaluated_epoch,
        coalesce(contacts_to_score.fit_score, 0) as fit_score,
        coalesce(adjustments_in_force.adjustment_points, 0) as adjustment_points,
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
    from instants
    cross join settings
    inner join contacts_to_score
        on instants.contact_id = contacts_to_score.contact_id
    left join engagement
        on instants.instant_key = engagement.instant_key
    left join adjustments_in_force
        on instants.instant_key = adjustments_in_force.instant_key
),

instant_scores as (
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
    from penalized
),

{# computed_as_of, loaded_through and inputs_key of this build, computed once #}
bookkeeping as (
    select
        {{ leadscore.as_of_timestamp() }} as computed_as_of,
        {{ leadscore.engagement_loaded_through() }} as loaded_through,
        {{ leadscore.instants_inputs_key() }} as inputs_key
),

final as (
    select
        instant_scores.instant_key,
        instant_scores.contact_id,
        instant_scores.evaluated_epoch,
        {{ leadscore.timestamp_from_epoch('instant_scores.evaluated_epoch') }} as evaluated_at,
        instant_scores.evaluated_epoch = {{ as_of_epoch }} as is_as_of,
        instant_scores.fit_score,
        instant_scores.engagement_score,
        instant_scores.adjustment_points,
        {{ leadscore.clamp(
            'instant_scores.fit_score + instant_scores.engagement_score + instant_scores.adjustment_points',
            score_min, score_max
        ) }} as lead_score,
        bookkeeping.computed_as_of,
        bookkeeping.loaded_through,
        bookkeeping.inputs_key
    from instant_scores
    cross join bookkeeping
)

select * from final
