{#- The backtest leads of each grid in ten equal groups by score at their decision instant (1 = the
    best tenth): conversion in each, its lift over the overall rate, and the share of all converted
    leads the best groups down to this one capture (the gain curve). The report's calibration curves
    plot conversion against the groups' average scores. -#}
with

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

deciles as (
    select
        grid_role,
        grid,
        score_decile,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as converted_leads,
        min(lead_score) as min_score,
        avg(lead_score) as avg_score,
        max(lead_score) as max_score
    from backtest_scores
    group by grid_role, grid, score_decile
),

totals as (
    select
        grid_role,
        sum(leads) as all_leads,
        sum(converted_leads) as all_converted_leads
    from deciles
    group by grid_role
),

final as (
    select
        {{ dbt.concat(['deciles.grid_role', "'|'", 'cast(deciles.score_decile as ' ~ dbt.type_string() ~ ')']) }}
            as decile_id,
        deciles.grid_role,
        deciles.grid,
        deciles.score_decile,
        deciles.leads,
        deciles.converted_leads,
        cast(deciles.converted_leads as double) / deciles.leads as conversion_rate,
        case
            when totals.all_converted_leads > 0
                then
                    (cast(deciles.converted_leads as double) / deciles.leads)
                    / (cast(totals.all_converted_leads as double) / totals.all_leads)
        end as lift,
        case
            when totals.all_converted_leads > 0
                then cast(sum(deciles.converted_leads) over (
                    partition by deciles.grid_role order by deciles.score_decile
                    rows between unbounded preceding and current row
                ) as double) / totals.all_converted_leads
        end as cumulative_converted_share,
        deciles.min_score,
        deciles.avg_score,
        deciles.max_score
    from deciles
    inner join totals
        on deciles.grid_role = totals.grid_role
)

select * from final
