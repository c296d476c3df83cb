{#- The current grid's rule features (rule_conversion reads them): for every backtest lead
    (champion grid), each rule that touched it before its decision instant and by how much. A fit
    rule that applies is 1; an engagement rule is its decayed occurrences, capped where the rule's
    max_points caps it, so that points x feature_value is the rule's contribution for any points. -#}
with

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

fit_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
),

rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
    where purpose = 'backtest' and grid_role = 'champion'
),

champion_leads as (
    select contact_id
    from backtest_scores
    where grid_role = 'champion'
),

fit_features as (
    select
        fit_applied.contact_id,
        'fit' as dimension,
        fit_applied.rule_id,
        cast(1 as double) as feature_value
    from fit_applied
    inner join champion_leads
        on fit_applied.contact_id = champion_leads.contact_id
    where fit_applied.grid_role = 'champion'
),

engagement_features as (
    select
        rule_totals.contact_id,
        'engagement' as dimension,
        rule_totals.rule_id,
        cast(rule_totals.feature_value as double) as feature_value
    from rule_totals
),

unioned as (
    select * from fit_features
    union all
    select * from engagement_features
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'dimension', "'|'", 'rule_id']) }} as feature_id,
        contact_id,
        dimension,
        rule_id,
        feature_value
    from unioned
)

select * from final
