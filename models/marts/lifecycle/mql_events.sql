{#- One row per contact and upward crossing of mql_threshold, to the second, with what pushed the
    score over (int_mql_crossings_located finds the instants). -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}

with

crossings as (
    select * from {{ ref('int_mql_crossings_located') }}
),

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

score_adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

numbered as (
    select
        *,
        row_number() over (partition by contact_id order by coalesce(crossed_epoch, -1e300)) as crossing_number,
        lag(crossed_epoch) over (
            partition by contact_id order by coalesce(crossed_epoch, -1e300)
        ) as previous_crossed_epoch,
        count(*) over (partition by contact_id) as contact_crossings
    from crossings
),

{# what happened at the instant of a jump; a searched crossing is a continuous rise (decay) #}
event_triggers as (
    select
        numbered.crossing_id,
        'event' as trigger_type,
        1 as trigger_priority,
        events_matched.event_id as trigger_id,
        events_matched.description as trigger_description,
        row_number() over (
            partition by numbered.crossing_id
            order by events_matched.raw_points desc, events_matched.event_id asc, events_matched.rule_id asc
        ) as trigger_rank
    from numbered
    inner join events_matched
        on
            numbered.contact_id = events_matched.contact_id
            and ceil(events_matched.occurred_epoch) = numbered.crossed_epoch
    where numbered.located_by = 'jump'
),

adjustment_triggers as (
    select
        numbered.crossing_id,
        case
            when ceil({{ leadscore.epoch_seconds('score_adjustments.created_at') }}) = numbered.crossed_epoch
                then 'adjustment'
            else 'adjustment_expiry'
        end as trigger_type,
        case
            when ceil({{ leadscore.epoch_seconds('score_adjustments.created_at') }}) = numbered.crossed_epoch then 2
            else 3
        end as trigger_priority,
        score_adjustments.adjustment_id as trigger_id,
        score_adjustments.reason as trigger_description,
        row_number() over (
            partition by numbered.crossing_id
            order by abs(score_adjustments.points) desc, score_adjustments.adjustment_id asc
        ) as trigger_rank
    from numbered
    inner join score_adjustments
        on numbered.contact_id = score_adjustments.contact_id
    where
        numbered.located_by = 'jump'
        and (
            (
                ceil({{ leadscore.epoch_seconds('score_adjustments.created_at') }}) = numbered.crossed_epoch
                and score_adjustments.points > 0
            )
            or (
                ceil({{ leadscore.epoch_seconds('score_adjustments.expires_at') }}) = numbered.crossed_epoch
                and score_adjustments.points < 0
            )
        )
),

recycle_triggers as (
    select
        numbered.crossing_id,
        'recycle' as trigger_type,
        4 as trigger_priority,
        cast(null as {{ dbt.type_string() }}) as trigger_id,
        'Recycled: earlier (negative) engagement dropped' as trigger_description,
        1 as trigger_rank
    from numbered
    inner join contact_recycles
        on numbered.contact_id = contact_recycles.contact_id
    where
        numbered.located_by = 'jump'
        and ceil({{ leadscore.epoch_seconds('contact_recycles.recycled_at') }}) = numbered.crossed_epoch
),

triggers as (
    select * from event_triggers
    where trigger_rank = 1
    union all
    select * from adjustment_triggers
    where trigger_rank = 1
    union all
    select * from recycle_triggers
),

first_triggers as (
    select
        crossing_id,
        trigger_type,
        trigger_id,
        trigger_description,
        row_number() over (partition by crossing_id order by trigger_priority asc) as trigger_order
    from triggers
),

{# a recycle between the previous crossing and this one makes this a re-crossing after a recycle #}
recycles_between as (
    select distinct numbered.crossing_id
    from numbered
    inner join contact_recycles
        on numbered.contact_id = contact_recycles.contact_id
    where
        {{ leadscore.epoch_seconds('contact_recycles.recycled_at') }} > numbered.previous_crossed_epoch
        and {{ leadscore.epoch_seconds('contact_recycles.recycled_at') }} <= numbered.crossed_epoch
),

{# the lead status at the crossing, for its MQL eligibility then #}
statuses_at_crossing as (
    select
        numbered.crossing_id,
        status_changes.status,
        row_number() over (
            partition by numbered.crossing_id
            order by status_changes.changed_at desc, status_changes.status asc
        ) as recency_rank
    from numbered
    inner join status_changes
        on
            numbered.contact_id = status_changes.contact_id
            and {{ leadscore.epoch_seconds('status_changes.changed_at') }} <= coalesce(
                numbered.crossed_epoch, {{ leadscore.epoch_seconds('status_changes.changed_at') }} - 1
            )
),

scores_at_as_of as (
    select
        contact_id,
        lead_score
    from instant_scores
    where is_as_of
),

described as (
    select
        numbered.crossing_id,
        numbered.contact_id,
        cast(numbered.crossing_number as {{ dbt.type_bigint() }}) as crossing_number,
        numbered.crossing_number > 1 as is_recrossing,
        case
            when numbered.crossing_number = 1 then null
            when recycles_between.crossing_id is not null then 'recycle'
            else 'drop'
        end as recrossing_after,
        case
            when numbered.located_by = 'initial' then contacts.created_at
            else numbered.crossed_at
        end as crossed_at,
        numbered.located_by = 'initial' as is_initial,
        numbered.score_before as score_before_crossing,
        numbered.score_at as score_at_crossing,
        numbered.engagement_at as engagement_score_at_crossing,
        cast({{ mql_threshold }} as double) as mql_threshold,
        case
            when numbered.located_by = 'initial' then 'initial'
            when numbered.located_by = 'search' then 'decay'
            else coalesce(first_triggers.trigger_type, 'decay')
        end as trigger_type,
        first_triggers.trigger_id,
        case
            when numbered.located_by = 'initial' then 'Over the threshold from the start (fit alone)'
            when numbered.located_by = 'search' or first_triggers.trigger_type is null
                then 'Negative points fading over time'
            else first_triggers.trigger_description
        end as trigger_description,
        {{ leadscore.mql_ineligible_reason(
            'contacts.is_do_not_contact', 'contacts.has_marketing_consent', 'statuses_at_crossing.status',
            'contacts.account_type', 'numbered.engagement_at'
        ) }} as mql_blocked_reason,
        numbered.crossing_number = numbered.contact_crossings
        and scores_at_as_of.lead_score >= {{ mql_threshold }} as is_current
    from numbered
    inner join contacts
        on numbered.contact_id = contacts.contact_id
    left join first_triggers
        on
            numbered.crossing_id = first_triggers.crossing_id
            and first_triggers.trigger_order = 1
    left join recycles_between
        on numbered.crossing_id = recycles_between.crossing_id
    left join statuses_at_crossing
        on
            numbered.crossing_id = statuses_at_crossing.crossing_id
            and statuses_at_crossing.recency_rank = 1
    left join scores_at_as_of
        on numbered.contact_id = scores_at_as_of.contact_id
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'cast(crossing_number as ' ~ dbt.type_string() ~ ')']) }} as mql_event_id,
        contact_id,
        crossing_number,
        is_recrossing,
        recrossing_after,
        crossed_at,
        is_initial,
        score_before_crossing,
        score_at_crossing,
        engagement_score_at_crossing,
        mql_threshold,
        trigger_type,
        trigger_id,
        trigger_description,
        mql_blocked_reason is null as is_mql,
        mql_blocked_reason,
        coalesce(is_current, false) as is_current,
        {{ leadscore.as_of_timestamp() }} as as_of
    from described
)

select * from final
