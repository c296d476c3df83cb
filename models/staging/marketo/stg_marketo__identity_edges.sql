{{ config(enabled='marketo' in var('source_systems')) }}
{#- The identifiers Marketo sees together: each live lead with its email (seen when the lead was
    created), and the email of a lead merged into it (seen at the merge), so that a tracker's events
    carrying one of these addresses stitch to the surviving lead. -#}
with

contacts as (
    select * from {{ ref('stg_marketo__contacts') }}
),

leads as (
    select * from {{ ref('base_marketo__lead') }}
),

lead_merges as (
    select * from {{ ref('stg_marketo__lead_merges') }}
),

lead_emails as (
    select
        'lead' as source_table,
        contact_id,
        email,
        created_at as seen_at
    from contacts
    where email is not null
),

merged_lead_emails as (
    select
        'activity_merge_leads' as source_table,
        contacts.contact_id,
        nullif(lower(trim(leads.email)), '') as email,
        lead_merges.merged_at as seen_at
    from lead_merges
    inner join leads
        on lead_merges.merged_lead_id = leads.lead_id
    inner join contacts
        on lead_merges.survivor_lead_id = contacts.contact_id
),

edges as (
    select * from lead_emails
    union all
    select * from merged_lead_emails
    where email is not null
),

final as (
    select
        'marketo' as source_system,
        source_table,
        'contact' as left_type,
        contact_id as left_id,
        'email' as right_type,
        email as right_id,
        min(seen_at) as seen_at
    from edges
    group by source_table, contact_id, email
)

select * from final
