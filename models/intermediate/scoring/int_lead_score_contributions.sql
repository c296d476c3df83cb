{#- Every contribution to a contact's lead score, one row per contact and rule (fit rules,
    engagement rules, inactivity and cap penalties, manual adjustments). The points of a contact add up to its lead score. -#}
with

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
    where grid_role = 'champion'
),

engagement_rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
),

engagement_penalties as (
    select * from {{ ref('int_engagement_penalties') }}
),

adjustments_active as (
    select * from {{ ref('int_score_adjustments_active') }}
),

fit as (
    select
        contact_id,
        'fit' as dimension,
        rule_id,
        description,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(1 as {{ dbt.type_bigint() }}) as occurrences,
        points as raw_points,
        points,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at
    from fit_rules_applied
),

engagement as (
    select
        contact_id,
        'engagement' as dimension,
        rule_id,
        description,
        category,
        cast(occurrences as {{ dbt.type_bigint() }}) as occurrences,
        raw_points,
        points,
        last_occurred_at
    from engagement_rule_totals
),

penalty as (
    select
        contact_id,
        'penalty' as dimension,
        rule_id,
        description,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(1 as {{ dbt.type_bigint() }}) as occurrences,
        points as raw_points,
        points,
        last_scored_at as last_occurred_at
    from engagement_penalties
),

adjustment as (
    select
        contact_id,
        'adjustment' as dimension,
        adjustment_id as rule_id,
        reason as description,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(1 as {{ dbt.type_bigint() }}) as occurrences,
        points as raw_points,
        points,
        created_at as last_occurred_at
    from adjustments_active
),

unioned as (
    select * from fit
    union all
    select * from engagement
    union all
    select * from penalty
    union all
    select * from adjustment
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'dimension', "'|'", 'rule_id']) }} as contribution_id,
        *
    from unioned
)

select * from final
