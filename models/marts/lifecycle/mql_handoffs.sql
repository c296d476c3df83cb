{#- The current MQLs as sales receive them (leadscore export --new-only): who, why, since when
    (the crossing of the current MQL episode), the owner and the SLA deadline. Contacts who
    refused consent or are do-not-contact are never here (lead_scores already blocks them; this
    filter and a data test make sure). -#}
with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

mql_events as (
    select * from {{ ref('mql_events') }}
),

mql_sla as (
    select * from {{ ref('mql_sla') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

current_crossings as (
    select *
    from mql_events
    where is_current
),

final as (
    select
        lead_scores.contact_id,
        current_crossings.mql_event_id,
        current_crossings.crossed_at as mql_at,
        lead_scores.email,
        lead_scores.first_name,
        lead_scores.last_name,
        lead_scores.company_name,
        lead_scores.job_title,
        lead_scores.account_id,
        lead_scores.owner,
        lead_scores.lead_status,
        lead_scores.lead_score,
        lead_scores.fit_score,
        lead_scores.engagement_score,
        lead_scores.grade,
        lead_scores.tier,
        lead_scores.buying_behavior,
        lead_scores.score_reasons,
        current_crossings.trigger_description as mql_trigger,
        mql_sla.sla_due_at,
        mql_sla.sla_status,
        lead_scores.last_engaged_at,
        lead_scores.as_of
    from lead_scores
    inner join contacts
        on lead_scores.contact_id = contacts.contact_id
    left join current_crossings
        on lead_scores.contact_id = current_crossings.contact_id
    left join mql_sla
        on current_crossings.mql_event_id = mql_sla.mql_event_id
    where
        lead_scores.is_mql
        and coalesce(contacts.has_marketing_consent, true)
        and not coalesce(contacts.is_do_not_contact, false)
)

select * from final
