{#- Every backtest lead scored as of its decision instant (int_backtest_decision_instants), with the
    champion grid and, when var challenger_grid is set, the challenger: what it scored then, whether
    an opportunity followed, its cohort (the last backtest_holdout_pct percent of the leads by creation
    are the hold-out, `test`; the leads created before them are `learn`; leads created at the very
    instant of the cut all learn, so that every test lead was created after every learning lead) and
    its score decile (1 = best). -#}
{%- set holdout_pct = leadscore.number_var('backtest_holdout_pct') -%}

with

decision_instants as (
    select * from {{ ref('int_backtest_decision_instants') }}
),

feedback_scores as (
    select * from {{ ref('int_lead_scores_by_scoring') }}
),

backtest_scores as (
    select
        feedback_scores.contact_id,
        feedback_scores.grid_role,
        feedback_scores.grid,
        decision_instants.created_at,
        decision_instants.decision_at,
        decision_instants.decision_basis,
        decision_instants.is_converted,
        decision_instants.first_opportunity_at,
        feedback_scores.fit_score,
        feedback_scores.engagement_score,
        feedback_scores.adjustment_points,
        feedback_scores.lead_score,
        feedback_scores.grade,
        feedback_scores.tier,
        feedback_scores.is_mql as is_predicted_mql,
        feedback_scores.lead_status as lead_status_then
    from feedback_scores
    inner join decision_instants
        on feedback_scores.contact_id = decision_instants.contact_id
    where feedback_scores.purpose = 'backtest'
),

ranked as (
    select
        *,
        row_number() over (partition by grid_role order by created_at asc, contact_id asc) as cohort_rank,
        count(*) over (partition by grid_role) as backtest_leads,
        ntile(10) over (partition by grid_role order by lead_score desc, contact_id asc) as score_decile
    from backtest_scores
),

cohorts as (
    select
        *,
        max(
            case
                when cohort_rank <= ceil(backtest_leads * (100 - {{ holdout_pct }}) / 100.0) then created_at
            end
        ) over (partition by grid_role) as last_learning_created_at
    from ranked
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'grid_role']) }} as backtest_score_id,
        contact_id,
        grid_role,
        grid,
        created_at,
        decision_at,
        decision_basis,
        is_converted,
        first_opportunity_at,
        case
            when created_at <= last_learning_created_at then 'learn'
            else 'test'
        end as sample,
        fit_score,
        engagement_score,
        adjustment_points,
        lead_score,
        grade,
        tier,
        is_predicted_mql,
        lead_status_then,
        score_decile
    from cohorts
)

select * from final
