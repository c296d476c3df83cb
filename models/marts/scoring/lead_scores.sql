{#- Every contact's lead score at as_of with the champion grid: its scoring in
    int_lead_scores_by_scoring (score, grades, tier, MQL), with who the contact is, its owner, the
    reasons, its buying behaviour, its top product line and its account. -#}
{%- set reasons_count = leadscore.number_var('score_reasons_count') | int -%}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

{# the champion grid at as_of #}
scores as (
    select * from {{ ref('int_lead_scores_by_scoring') }}
    where purpose = 'current' and grid_role = 'champion'
),

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
    where purpose = 'current' and grid_role = 'champion'
),

engagement_rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
    where purpose = 'current' and grid_role = 'champion'
),

status_as_of as (
    select * from {{ ref('int_contact_status_as_of') }}
),

product_lines as (
    select * from {{ ref('int_contact_product_lines_ranked') }}
),

account_resolutions as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

engagement_sums as (
    select
        contact_id,
        sum(case when dimension = 'engagement' and points > 0 then points else 0 end) as positive_engagement,
        sum(
            case when dimension = 'engagement' and points > 0 and category = 'active' then points else 0 end
        ) as positive_active_engagement,
        max(case when dimension = 'engagement' then last_occurred_at end) as last_engaged_at
    from contributions
    group by contact_id
),

recent_sums as (
    select
        contact_id,
        sum(recent_raw_points) as engagement_score_recent
    from engagement_rule_totals
    group by contact_id
),

scored as (
    select
        contacts.contact_id,
        contacts.account_id,
        account_resolutions.resolved_account_id,
        {# the public name of the CRM id method; the other methods keep their names #}
        case
            when account_resolutions.account_resolution = 'account_id' then 'crm_id'
            else coalesce(account_resolutions.account_resolution, 'unresolved')
        end as account_match_method,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        contacts.company_name,
        contacts.job_title,
        scores.lead_status,
        status_as_of.owner,
        scores.fit_score,
        scores.engagement_score,
        coalesce(recent_sums.engagement_score_recent, 0) as engagement_score_recent,
        scores.adjustment_points,
        scores.lead_score,
        scores.lead_score_unclamped,
        scores.fit_grade,
        scores.engagement_grade,
        scores.grade,
        scores.tier,
        scores.is_mql,
        scores.mql_blocked_reason,
        scores.mql_threshold_applied,
        coalesce(engagement_sums.positive_engagement, 0) as positive_engagement,
        coalesce(engagement_sums.positive_active_engagement, 0) as positive_active_engagement,
        contacts.data_completeness_pct,
        engagement_sums.last_engaged_at,
        product_lines.product_line as top_product_line
    from contacts
    left join scores
        on contacts.contact_id = scores.contact_id
    left join engagement_sums
        on contacts.contact_id = engagement_sums.contact_id
    left join recent_sums
        on contacts.contact_id = recent_sums.contact_id
    left join status_as_of
        on contacts.contact_id = status_as_of.contact_id
    left join account_resolutions
        on contacts.contact_id = account_resolutions.contact_id
    left join product_lines
        on
            contacts.contact_id = product_lines.contact_id
            and product_lines.is_top_product_line
),

reasons_ranked as (
    select
        contact_id,
        description
        || case when occurrences > 1 then ' x' || cast(occurrences as {{ dbt.type_string() }}) else '' end
        || ' (' || {{ leadscore.format_points('points', "dimension = 'engagement'") }} || ')' as reason,
        row_number() over (
            partition by contact_id
            order by abs(points) desc, dimension asc, rule_id asc
        ) as reason_rank
    from contributions
    where round(points, 1) <> 0
),

reasons as (
    select
        contact_id,
        {{ leadscore.pivot_ranked('reason', 'reason_rank', reasons_count) }}
    from reasons_ranked
    where reason_rank <= {{ reasons_count }}
    group by contact_id
),

with_reasons as (
    select
        scored.*,
        {{ leadscore.join_ranked('reasons.reason', reasons_count, "', '") }} as score_reasons
    from scored
    left join reasons
        on scored.contact_id = reasons.contact_id
),

final as (
    select
        contact_id,
        account_id,
        resolved_account_id,
        account_match_method,
        email,
        first_name,
        last_name,
        company_name,
        job_title,
        lead_status,
        owner,
        fit_score,
        engagement_score,
        engagement_score_recent,
        adjustment_points,
        lead_score,
        lead_score_unclamped,
        fit_grade,
        engagement_grade,
        grade,
        tier,
        is_mql,
        mql_blocked_reason,
        mql_threshold_applied,
        case
            when positive_engagement <= 0 then 'none'
            when positive_active_engagement >= 0.5 * positive_engagement then 'active'
            else 'passive'
        end as buying_behavior,
        data_completeness_pct,
        last_engaged_at,
        score_reasons,
        top_product_line,
        {{ leadscore.as_of_timestamp() }} as as_of
    from with_reasons
)

select * from final
