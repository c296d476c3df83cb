{#- The MQLs whose response SLA is breached or at risk, with their owner, most urgent first:
    untouched breaches (longest overdue first), then those at risk (least time left first), then
    those touched too late. -#}
with

mql_sla as (
    select * from {{ ref('mql_sla') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

alerts as (
    select
        mql_sla.mql_event_id,
        mql_sla.contact_id,
        coalesce(mql_sla.owner, 'unassigned') as owner,
        mql_sla.sla_status,
        mql_sla.is_touched,
        mql_sla.mql_at,
        mql_sla.sla_due_at,
        mql_sla.first_touched_at,
        mql_sla.hours_waited,
        mql_sla.hours_left,
        lead_scores.first_name,
        lead_scores.last_name,
        lead_scores.company_name,
        lead_scores.lead_score,
        lead_scores.grade,
        lead_scores.score_reasons,
        case
            when mql_sla.sla_status = 'breached' and not mql_sla.is_touched then 1
            when mql_sla.sla_status = 'at_risk' then 2
            else 3
        end as urgency
    from mql_sla
    left join lead_scores
        on mql_sla.contact_id = lead_scores.contact_id
    where mql_sla.sla_status in ('breached', 'at_risk')
),

final as (
    select
        *,
        row_number() over (
            order by urgency asc, coalesce(-hours_left, hours_waited) desc, mql_event_id asc
        ) as alert_rank
    from alerts
)

select * from final
