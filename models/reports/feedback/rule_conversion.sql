{#- The feedback-loop table of the guides, per rule of the champion grid: the backtest leads it had
    touched by their decision instant, how many of them went on to an opportunity, and that rate
    against the rate of all backtest leads. lift_points = 10 x log2(rate / base rate) is the
    cold-start point value (`leadscore calibrate` fits a grid jointly). -#}
with

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

features as (
    select * from {{ ref('backtest_rule_features') }}
),

fit_rules as (
    select * from {{ ref('stg_grid__fit_rules') }}
),

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

rules as (
    select
        'fit' as dimension,
        rule_id,
        description,
        points
    from fit_rules
    union all
    select
        'engagement' as dimension,
        rule_id,
        description,
        points
    from engagement_rules
),

champion_leads as (
    select
        contact_id,
        is_converted
    from backtest_scores
    where grid_role = 'champion'
),

base as (
    select
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as converted_leads
    from champion_leads
),

touches as (
    select
        features.dimension,
        features.rule_id,
        count(*) as leads_touched,
        sum(case when champion_leads.is_converted then 1 else 0 end) as leads_converted
    from features
    inner join champion_leads
        on features.contact_id = champion_leads.contact_id
    group by features.dimension, features.rule_id
),

rated as (
    select
        rules.dimension,
        rules.rule_id,
        rules.description,
        rules.points,
        coalesce(touches.leads_touched, 0) as leads_touched,
        coalesce(touches.leads_converted, 0) as leads_converted,
        case
            when touches.leads_touched > 0 then cast(touches.leads_converted as double) / touches.leads_touched
        end as conversion_rate,
        case when base.leads > 0 then cast(base.converted_leads as double) / base.leads end as base_rate
    from rules
    cross join base
    left join touches
        on
            rules.dimension = touches.dimension
            and rules.rule_id = touches.rule_id
),

final as (
    select
        {{ dbt.concat(['dimension', "'|'", 'rule_id']) }} as dimension_rule_id,
        dimension,
        rule_id,
        description,
        points,
        leads_touched,
        leads_converted,
        conversion_rate,
        base_rate,
        case when base_rate > 0 then conversion_rate / base_rate end as lift,
        case
            when conversion_rate > 0 and base_rate > 0
                then round(10 * ln(conversion_rate / base_rate) / ln(2.0), 0)
        end as lift_points
    from rated
)

select * from final
