{#- One row per MQL hand-off: a crossing of mql_threshold (mql_events) by a contact who was then
    eligible (is_mql) and not already in sales' hands, with the response SLA: sales must touch it
    (a change to a stage of seeds/lifecycle_stages with counts_as_sales_touch) within sla_hours.
    met: touched in time (exactly at the deadline counts); breached: touched late, or untouched
    past the deadline; at_risk: untouched with sla_at_risk_hours or less left; open: untouched
    with more time left. -#}
{%- set sla_hours = leadscore.number_var('sla_hours') -%}
{%- set at_risk_hours = leadscore.number_var('sla_at_risk_hours') -%}
{%- set as_of_epoch = leadscore.epoch_seconds(leadscore.as_of_timestamp()) -%}

with

mql_events as (
    select * from {{ ref('mql_events') }}
),

stages as (
    select * from {{ ref('lead_lifecycle_stages') }}
),

lifecycle_stages as (
    select * from {{ ref('stg_reference__lifecycle_stages') }}
),

status_as_of as (
    select * from {{ ref('int_contact_status_as_of') }}
),

mqls as (
    select
        mql_event_id,
        contact_id,
        crossed_at as mql_at,
        {{ leadscore.epoch_seconds('crossed_at') }} as mql_epoch
    from mql_events
    where is_mql and not is_initial
),

{# the stage the contact was in when it crossed: a crossing while sales work it is no hand-off #}
stages_at_crossing as (
    select
        mqls.mql_event_id,
        stages.team,
        row_number() over (
            partition by mqls.mql_event_id
            order by stages.entered_at desc, stages.stage_number desc
        ) as recency_rank
    from mqls
    inner join stages
        on
            mqls.contact_id = stages.contact_id
            and mqls.mql_at >= stages.entered_at
),

handoffs as (
    select mqls.*
    from mqls
    left join stages_at_crossing
        on
            mqls.mql_event_id = stages_at_crossing.mql_event_id
            and stages_at_crossing.recency_rank = 1
    where coalesce(stages_at_crossing.team, 'marketing') = 'marketing'
),

touches as (
    select
        handoffs.mql_event_id,
        stages.stage,
        stages.entered_at,
        row_number() over (
            partition by handoffs.mql_event_id
            order by stages.entered_at asc, stages.stage_number asc
        ) as touch_rank
    from handoffs
    inner join stages
        on
            handoffs.contact_id = stages.contact_id
            and handoffs.mql_at <= stages.entered_at
    inner join lifecycle_stages
        on stages.stage = lifecycle_stages.stage
    where lower(trim(lifecycle_stages.counts_as_sales_touch)) = 'true'
),

timed as (
    select
        handoffs.mql_event_id,
        handoffs.contact_id,
        status_as_of.owner,
        handoffs.mql_at,
        handoffs.mql_epoch + {{ sla_hours }} * 3600.0 as due_epoch,
        touches.entered_at as first_touched_at,
        touches.stage as first_touch_stage,
        {{ leadscore.epoch_seconds('touches.entered_at') }} as touched_epoch,
        handoffs.mql_epoch
    from handoffs
    left join touches
        on
            handoffs.mql_event_id = touches.mql_event_id
            and touches.touch_rank = 1
    left join status_as_of
        on handoffs.contact_id = status_as_of.contact_id
),

final as (
    select
        mql_event_id,
        contact_id,
        owner,
        mql_at,
        {{ leadscore.timestamp_from_epoch('due_epoch') }} as sla_due_at,
        first_touched_at,
        first_touch_stage,
        first_touched_at is not null as is_touched,
        (touched_epoch - mql_epoch) / 3600.0 as hours_to_first_touch,
        (coalesce(touched_epoch, {{ as_of_epoch }}) - mql_epoch) / 3600.0 as hours_waited,
        case when touched_epoch is null then (due_epoch - {{ as_of_epoch }}) / 3600.0 end as hours_left,
        case
            when touched_epoch is not null and touched_epoch <= due_epoch then 'met'
            when touched_epoch is not null then 'breached'
            when {{ as_of_epoch }} > due_epoch then 'breached'
            when due_epoch - {{ as_of_epoch }} <= {{ at_risk_hours }} * 3600.0 then 'at_risk'
            else 'open'
        end as sla_status,
        cast({{ sla_hours }} as double) as sla_hours,
        {{ leadscore.as_of_timestamp() }} as as_of
    from timed
)

select * from final
