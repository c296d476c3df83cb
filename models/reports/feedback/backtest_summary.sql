{#- How well each grid's scores at the decision instants predicted the opportunities that followed,
    on all backtest leads and on each cohort (learn, and the hold-out test: the leads created last):
    AUC (the chance that a converted lead outscored one that did not, ties counting half), and precision
    and recall of the leads that were MQLs at mql_threshold; and the contacts the backtest left out, by
    reason (int_backtest_candidates). -#}
with

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

candidates as (
    select * from {{ ref('int_backtest_candidates') }}
),

left_out as (
    select
        sum(case when exclusion_reason = 'converted_before_decision' then 1 else 0 end)
            as converted_before_decision,
        sum(case when exclusion_reason = 'horizon_not_over' then 1 else 0 end) as horizon_not_over,
        sum(case when exclusion_reason = 'before_known' then 1 else 0 end) as before_known
    from candidates
),

samples as (
    select
        grid_role,
        grid,
        'all' as sample,
        decision_at,
        is_converted,
        is_predicted_mql,
        lead_score
    from backtest_scores
    union all
    select
        grid_role,
        grid,
        sample,
        decision_at,
        is_converted,
        is_predicted_mql,
        lead_score
    from backtest_scores
),

{# tied scores share the average of their ranks #}
ranked as (
    select
        *,
        rank() over (partition by grid_role, sample order by lead_score asc)
        + (count(*) over (partition by grid_role, sample, lead_score) - 1) / 2.0 as score_rank
    from samples
),

counted as (
    select
        grid_role,
        grid,
        sample,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as converted_leads,
        sum(case when is_converted then score_rank else 0 end) as converted_rank_sum,
        sum(case when is_predicted_mql then 1 else 0 end) as predicted_mqls,
        sum(case when is_predicted_mql and is_converted then 1 else 0 end) as true_positives,
        min(decision_at) as decided_from,
        max(decision_at) as decided_to
    from ranked
    group by grid_role, grid, sample
),

counted_with_left_out as (
    select
        counted.*,
        coalesce(left_out.converted_before_decision, 0) as left_out_converted_before_decision,
        coalesce(left_out.horizon_not_over, 0) as left_out_horizon_not_over,
        coalesce(left_out.before_known, 0) as left_out_before_known
    from counted
    cross join left_out
),

final as (
    select
        {{ dbt.concat(['grid_role', "'|'", 'sample']) }} as summary_id,
        grid_role,
        grid,
        sample,
        leads,
        converted_leads,
        cast(converted_leads as double) / leads as conversion_rate,
        case
            when converted_leads > 0 and converted_leads < leads
                then
                    (converted_rank_sum - converted_leads * (converted_leads + 1) / 2.0)
                    / (cast(converted_leads as double) * (leads - converted_leads))
        end as auc,
        cast({{ leadscore.number_var('mql_threshold') }} as double) as mql_threshold,
        predicted_mqls,
        true_positives,
        case when predicted_mqls > 0 then cast(true_positives as double) / predicted_mqls end as mql_precision,
        case when converted_leads > 0 then cast(true_positives as double) / converted_leads end as mql_recall,
        decided_from,
        decided_to,
        left_out_converted_before_decision,
        left_out_horizon_not_over,
        left_out_before_known
    from counted_with_left_out
)

select * from final
