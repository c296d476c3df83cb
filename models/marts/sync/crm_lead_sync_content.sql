{#- The CRM-facing content of every contact and the hash of that content. as_of is left out of the
    hash on purpose: a rebuild that changes no field must not look like a change to a sync. -#}
{%- set hashed_columns = [
    'email', 'first_name', 'last_name', 'company', 'job_title', 'account_id', 'lead_owner', 'lead_status',
    'lead_score', 'fit_score', 'engagement_score', 'lead_grade', 'lead_tier', 'is_mql', 'buying_behavior',
    'score_reasons', 'mql_at', 'is_sync_allowed',
] -%}

with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

mql_events as (
    select * from {{ ref('mql_events') }}
),

current_crossings as (
    select
        contact_id,
        crossed_at
    from mql_events
    where is_current
),

mapped as (
    select
        lead_scores.contact_id,
        lead_scores.email,
        lead_scores.first_name,
        lead_scores.last_name,
        lead_scores.company_name as company,
        lead_scores.job_title,
        lead_scores.account_id,
        lead_scores.owner as lead_owner,
        lead_scores.lead_status,
        cast(round(lead_scores.lead_score, 0) as {{ dbt.type_int() }}) as lead_score,
        cast(round(lead_scores.fit_score, 0) as {{ dbt.type_int() }}) as fit_score,
        cast(round(lead_scores.engagement_score, 0) as {{ dbt.type_int() }}) as engagement_score,
        lead_scores.grade as lead_grade,
        lead_scores.tier as lead_tier,
        lead_scores.is_mql,
        lead_scores.buying_behavior,
        lead_scores.score_reasons,
        case when lead_scores.is_mql then current_crossings.crossed_at end as mql_at,
        coalesce(contacts.has_marketing_consent, false)
        and not coalesce(contacts.is_do_not_contact, false) as is_sync_allowed
    from lead_scores
    inner join contacts
        on lead_scores.contact_id = contacts.contact_id
    left join current_crossings
        on lead_scores.contact_id = current_crossings.contact_id
),

hashed as (
    select
        *,
        {% set parts = [] -%}
        {%- for column in hashed_columns -%}
            {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
            {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.hash(dbt.concat(parts)) }} as row_hash
    from mapped
),

final as (
    select * from hashed
)

select * from final
