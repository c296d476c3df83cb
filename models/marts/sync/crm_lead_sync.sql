with

hashed as (
    select * from {{ ref('int_crm_leads_hashed') }}
),

versions as (
    select * from {{ ref('int_crm_leads_versioned') }}
),

consented as (
    select * from hashed
    where is_sync_allowed
),

final as (
    select
        consented.contact_id,
        consented.email,
        consented.first_name,
        consented.last_name,
        consented.company,
        consented.job_title,
        consented.account_id,
        consented.lead_owner,
        consented.lead_status,
        consented.lead_score,
        consented.fit_score,
        consented.engagement_score,
        consented.lead_grade,
        consented.lead_tier,
        consented.is_mql,
        consented.buying_behavior,
        consented.score_reasons,
        consented.row_hash,
        versions.updated_at
    from consented
    inner join versions
        on consented.contact_id = versions.contact_id
)

select * from final
