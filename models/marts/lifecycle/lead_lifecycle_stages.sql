{#- One row per contact and lifecycle stage it entered (each change of lead_status_changes up to
    as_of), with when it entered and left, the time spent there and who owned it. -#}
with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

lifecycle_stages as (
    select * from {{ ref('stg_reference__lifecycle_stages') }}
),

entered as (
    select
        status_changes.status_change_id,
        status_changes.contact_id,
        status_changes.status as stage,
        {{ leadscore.to_integer('lifecycle_stages.stage_order') }} as stage_order,
        lifecycle_stages.team,
        status_changes.owner,
        status_changes.reason,
        status_changes.changed_at as entered_at
    from status_changes
    left join lifecycle_stages
        on status_changes.status = lifecycle_stages.stage
    where status_changes.changed_at <= {{ leadscore.as_of_timestamp() }}
),

{# two changes at the same instant: the later stage of the funnel is the one the contact is in #}
sequenced as (
    select
        *,
        row_number() over (
            partition by contact_id
            order by entered_at asc, coalesce(stage_order, 0) asc, stage asc
        ) as stage_number,
        lead(entered_at) over (
            partition by contact_id
            order by entered_at asc, coalesce(stage_order, 0) asc, stage asc
        ) as exited_at,
        lead(stage) over (
            partition by contact_id
            order by entered_at asc, coalesce(stage_order, 0) asc, stage asc
        ) as next_stage
    from entered
),

final as (
    select
        status_change_id as lifecycle_stage_id,
        contact_id,
        cast(stage_number as {{ dbt.type_bigint() }}) as stage_number,
        stage,
        stage_order,
        team,
        owner,
        reason,
        entered_at,
        exited_at,
        next_stage,
        exited_at is null as is_current_stage,
        (
            {{ leadscore.epoch_seconds('coalesce(exited_at, ' ~ leadscore.as_of_timestamp() ~ ')') }}
            - {{ leadscore.epoch_seconds('entered_at') }}
        ) / 3600.0 as hours_in_stage,
        {{ leadscore.as_of_timestamp() }} as as_of
    from sequenced
)

select * from final
