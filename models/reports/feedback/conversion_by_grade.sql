{#- The grade matrix (fit letter x engagement digit, seed grade_bands): contacts in each grade today,
    and how the backtest leads that had the grade at their decision instant converted (champion
    grid). Every grade has a row, empty ones included. -#}
with

grade_bands as (
    select * from {{ ref('stg_grid__grade_bands') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

fit_bands as (
    select
        band as fit_grade,
        row_number() over (order by coalesce({{ leadscore.to_number('min_score') }}, -1e300) desc) as fit_order
    from grade_bands
    where dimension = 'fit'
),

engagement_bands as (
    select
        band as engagement_grade,
        row_number() over (order by coalesce({{ leadscore.to_number('min_score') }}, -1e300) desc) as engagement_order
    from grade_bands
    where dimension = 'engagement'
),

matrix as (
    select
        {{ dbt.concat(['fit_bands.fit_grade', 'engagement_bands.engagement_grade']) }} as grade,
        fit_bands.fit_grade,
        engagement_bands.engagement_grade,
        fit_bands.fit_order,
        engagement_bands.engagement_order
    from fit_bands
    cross join engagement_bands
),

current_grades as (
    select
        grade,
        count(*) as contacts,
        sum(case when is_mql then 1 else 0 end) as mqls
    from lead_scores
    group by grade
),

backtest_grades as (
    select
        grade,
        count(*) as backtest_leads,
        sum(case when is_converted then 1 else 0 end) as backtest_converted_leads
    from backtest_scores
    where grid_role = 'champion'
    group by grade
),

final as (
    select
        matrix.grade,
        matrix.fit_grade,
        matrix.engagement_grade,
        matrix.fit_order,
        matrix.engagement_order,
        coalesce(current_grades.contacts, 0) as contacts,
        coalesce(current_grades.mqls, 0) as mqls,
        coalesce(backtest_grades.backtest_leads, 0) as backtest_leads,
        coalesce(backtest_grades.backtest_converted_leads, 0) as backtest_converted_leads,
        case
            when backtest_grades.backtest_leads > 0
                then cast(backtest_grades.backtest_converted_leads as double) / backtest_grades.backtest_leads
        end as backtest_conversion_rate
    from matrix
    left join current_grades
        on matrix.grade = current_grades.grade
    left join backtest_grades
        on matrix.grade = backtest_grades.grade
)

select * from final
