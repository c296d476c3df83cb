{#- The lead score of every scoring (int_scoring_instants: a contact under a grid at an instant),
    from its parts in int_lead_score_contributions (fit, engagement rule totals, inactivity penalty,
    engagement cap, adjustments in force at the instant), clamped; grade, tier and MQL with the
    lead's status at the instant. mql_top_percent applies to the contacts scored at as_of, per grid;
    the backtest judges every lead by mql_threshold. The one place a score is totalled and graded:
    lead_scores reads the champion's scoring at as_of, backtest_lead_scores and champion_challenger
    the others. -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{%- set top_percent = leadscore.number_var('mql_top_percent', allow_null=true) -%}
with

instants as (
    select * from {{ ref('int_scoring_instants') }}
),

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

grade_bands as (
    select * from {{ ref('stg_grid__grade_bands') }}
),

score_sums as (
    select
        contributions.scoring_id,
        sum(case when contributions.dimension = 'fit' then contributions.points else 0 end) as fit_score,
        sum(case when contributions.dimension in ('engagement', 'penalty') then contributions.points else 0 end)
            as engagement_score,
        sum(case when contributions.dimension = 'adjustment' then contributions.points else 0 end)
            as adjustment_points
    from contributions
    inner join instants
        on contributions.scoring_id = instants.scoring_id
    group by contributions.scoring_id
),

statuses_ranked as (
    select
        instants.scoring_id,
        status_changes.status,
        row_number() over (
            partition by instants.scoring_id
            order by status_changes.changed_at desc, status_changes.status asc
        ) as recency_rank
    from instants
    inner join status_changes
        on
            instants.contact_id = status_changes.contact_id
            and instants.scored_at >= status_changes.changed_at
),

scored as (
    select
        instants.scoring_id,
        instants.contact_id,
        instants.purpose,
        instants.grid_role,
        instants.grid,
        instants.scored_at,
        contacts.is_do_not_contact,
        contacts.has_marketing_consent,
        contacts.account_type,
        statuses_ranked.status as lead_status,
        coalesce(score_sums.fit_score, 0) as fit_score,
        coalesce(score_sums.engagement_score, 0) as engagement_score,
        coalesce(score_sums.adjustment_points, 0) as adjustment_points
    from instants
    inner join contacts
        on instants.contact_id = contacts.contact_id
    left join score_sums
        on instants.scoring_id = score_sums.scoring_id
    left join statuses_ranked
        on
            instants.scoring_id = statuses_ranked.scoring_id
            and statuses_ranked.recency_rank = 1
),

totalled as (
    select
        *,
        fit_score + engagement_score + adjustment_points as lead_score_unclamped,
        {{ leadscore.clamp('fit_score + engagement_score + adjustment_points', score_min, score_max) }} as lead_score,
        {{ leadscore.mql_ineligible_reason(
            'is_do_not_contact', 'has_marketing_consent', 'lead_status', 'account_type', 'engagement_score'
        ) }} as ineligible_reason
    from scored
),

dimension_scores as (
    select
        scoring_id,
        'fit' as dimension,
        fit_score as score
    from totalled
    union all
    select
        scoring_id,
        'engagement' as dimension,
        engagement_score as score
    from totalled
),

{# the band of each dimension whose [min_score, max_score) holds the score (stg_grid__grade_bands) #}
bands_reached as (
    select
        dimension_scores.scoring_id,
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
        scoring_id,
        max(case when dimension = 'fit' then band end) as fit_grade,
        max(case when dimension = 'engagement' then band end) as engagement_grade
    from bands_reached
    group by scoring_id
),

{# with mql_top_percent: at as_of, the score of the last eligible contact inside that top share, per grid #}
eligible_ranked as (
    select
        grid_role,
        lead_score,
        row_number() over (partition by grid_role order by lead_score desc) as score_rank,
        count(*) over (partition by grid_role) as eligible_contacts
    from totalled
    where purpose = 'current' and ineligible_reason is null
),

top_percent_thresholds as (
    select
        grid_role,
        min(
            case
                when
                    {{ leadscore.sql_boolean(top_percent is not none) }}
                    and score_rank <= ceil(eligible_contacts * {{ top_percent or 100 }} / 100.0)
                    then lead_score
            end
        ) as top_percent_threshold
    from eligible_ranked
    group by grid_role
),

thresholded as (
    select
        totalled.*,
        grades.fit_grade,
        grades.engagement_grade,
        case
            when totalled.purpose = 'current'
                then coalesce(top_percent_thresholds.top_percent_threshold, cast({{ mql_threshold }} as double))
            else cast({{ mql_threshold }} as double)
        end as mql_threshold_applied
    from totalled
    left join grades
        on totalled.scoring_id = grades.scoring_id
    left join top_percent_thresholds
        on
            totalled.grid_role = top_percent_thresholds.grid_role
            and totalled.purpose = 'current'
),

final as (
    select
        scoring_id,
        contact_id,
        purpose,
        grid_role,
        grid,
        scored_at,
        lead_status,
        fit_score,
        engagement_score,
        adjustment_points,
        lead_score_unclamped,
        lead_score,
        fit_grade,
        engagement_grade,
        {{ dbt.concat(['fit_grade', 'engagement_grade']) }} as grade,
        {{ leadscore.score_tier('lead_score', 'mql_threshold_applied') }} as tier,
        lead_score >= mql_threshold_applied and ineligible_reason is null as is_mql,
        case when lead_score >= mql_threshold_applied then ineligible_reason end as mql_blocked_reason,
        mql_threshold_applied
    from thresholded
)

select * from final
