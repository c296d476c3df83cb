{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{%- set reasons_count = leadscore.number_var('score_reasons_count') | int -%}
{%- set top_percent = leadscore.number_var('mql_top_percent', allow_null=true) -%}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

{# the champion grid at as_of #}
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

grade_bands as (
    select * from {{ ref('stg_grid__grade_bands') }}
),

product_lines as (
    select * from {{ ref('int_contact_product_lines_ranked') }}
),

account_resolutions as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

score_sums as (
    select
        contact_id,
        sum(case when dimension = 'fit' then points else 0 end) as fit_score,
        sum(case when dimension in ('engagement', 'penalty') then points else 0 end) as engagement_score,
        sum(case when dimension = 'adjustment' then points else 0 end) as adjustment_points,
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
        contacts.is_do_not_contact,
        contacts.has_marketing_consent,
        contacts.account_type,
        contacts.data_completeness_pct,
        status_as_of.status as lead_status,
        status_as_of.owner,
        coalesce(score_sums.fit_score, 0) as fit_score,
        coalesce(score_sums.engagement_score, 0) as engagement_score,
        coalesce(recent_sums.engagement_score_recent, 0) as engagement_score_recent,
        coalesce(score_sums.adjustment_points, 0) as adjustment_points,
        coalesce(score_sums.positive_engagement, 0) as positive_engagement,
        coalesce(score_sums.positive_active_engagement, 0) as positive_active_engagement,
        score_sums.last_engaged_at,
        product_lines.product_line as top_product_line,
        coalesce(score_sums.fit_score, 0)
        + coalesce(score_sums.engagement_score, 0)
        + coalesce(score_sums.adjustment_points, 0) as lead_score_unclamped
    from contacts
    left join score_sums
        on contacts.contact_id = score_sums.contact_id
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

clamped as (
    select
        *,
        {{ leadscore.clamp('lead_score_unclamped', score_min, score_max) }} as lead_score
    from scored
),

dimension_scores as (
    select
        contact_id,
        'fit' as dimension,
        fit_score as score
    from clamped
    union all
    select
        contact_id,
        'engagement' as dimension,
        engagement_score as score
    from clamped
),

{# the band of each dimension whose [min_score, max_score) holds the score (stg_grid__grade_bands) #}
bands_reached as (
    select
        dimension_scores.contact_id,
        dimension_scores.dimension,
        grade_bands.band
    from dimension_scores
    inner join grade_bands
        on
            dimension_scores.dimension = grade_bands.dimension
            and {{ leadscore.band_holds_score('grade_bands', 'dimension_scores.score') }}
),

grades as (
    select
        contact_id,
        max(case when dimension = 'fit' then band end) as fit_grade,
        max(case when dimension = 'engagement' then band end) as engagement_grade
    from bands_reached
    group by contact_id
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

qualified as (
    select
        clamped.*,
        grades.fit_grade,
        grades.engagement_grade,
        {{ leadscore.mql_ineligible_reason(
            'clamped.is_do_not_contact', 'clamped.has_marketing_consent', 'clamped.lead_status',
            'clamped.account_type', 'clamped.engagement_score'
        ) }} as ineligible_reason,
        {{ leadscore.join_ranked('reasons.reason', reasons_count, "', '") }} as score_reasons
    from clamped
    left join grades
        on clamped.contact_id = grades.contact_id
    left join reasons
        on clamped.contact_id = reasons.contact_id
),

{# with mql_top_percent: the score of the last eligible contact inside that top share #}
eligible_ranked as (
    select
        lead_score,
        row_number() over (order by lead_score desc) as score_rank,
        count(*) over () as eligible_contacts
    from qualified
    where ineligible_reason is null
),

applied_threshold as (
    select
        coalesce(
            min(
                case
                    when
                        {{ leadscore.sql_boolean(top_percent is not none) }}
                        and score_rank <= ceil(eligible_contacts * {{ top_percent or 100 }} / 100.0)
                        then lead_score
                end
            ),
            cast({{ mql_threshold }} as double)
        ) as mql_threshold_applied
    from eligible_ranked
),

thresholded as (
    select
        qualified.*,
        applied_threshold.mql_threshold_applied
    from qualified
    cross join applied_threshold
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
        {{ dbt.concat(['fit_grade', 'engagement_grade']) }} as grade,
        {{ leadscore.score_tier('lead_score', 'mql_threshold_applied') }} as tier,
        lead_score >= mql_threshold_applied and ineligible_reason is null as is_mql,
        case when lead_score >= mql_threshold_applied then ineligible_reason end as mql_blocked_reason,
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
    from thresholded
)

select * from final
