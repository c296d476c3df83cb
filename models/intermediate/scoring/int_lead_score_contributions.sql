{#- Every contribution to a lead score, one row per scoring (see int_engagement_rule_totals) and
    rule: fit rules, engagement rules, inactivity and cap penalties, manual adjustments in force at
    the scoring's instant. The points of a scoring add up to its lead score before clamping: the
    one place the parts of a score are put together (lead_scores and lead_score_breakdown at as_of,
    int_lead_scores_by_scoring at every scoring). -#}
with

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
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

adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

scorings as (
    select * from {{ ref('int_scoring_instants') }}
),

{# the scorings other than the champion's at as_of, whose adjustments int_score_adjustments_active
   does not give #}
instants as (
    select *
    from scorings
    where not (purpose = 'current' and grid_role = 'champion')
),

{# the fit rules of a contact under a grid hold at any instant #}
fit_scored as (
    select
        scorings.scoring_id,
        scorings.contact_id,
        scorings.purpose,
        scorings.grid_role,
        fit_rules_applied.rule_id,
        fit_rules_applied.description,
        fit_rules_applied.points
    from scorings
    inner join fit_rules_applied
        on
            scorings.contact_id = fit_rules_applied.contact_id
            and scorings.grid_role = fit_rules_applied.grid_role
),

{# in force at the instant: created_at <= instant < expires_at (int_score_adjustments_active at as_of) #}
adjustments_scored as (
    select
        {{ leadscore.scoring_id('contact_id', "'current'", "'champion'") }} as scoring_id,
        contact_id,
        'current' as purpose,
        'champion' as grid_role,
        adjustment_id,
        reason,
        points,
        created_at
    from adjustments_active
    union all
    select
        instants.scoring_id,
        instants.contact_id,
        instants.purpose,
        instants.grid_role,
        adjustments.adjustment_id,
        adjustments.reason,
        adjustments.points,
        adjustments.created_at
    from instants
    inner join adjustments
        on
            instants.contact_id = adjustments.contact_id
            and instants.scored_at >= adjustments.created_at
            and (adjustments.expires_at is null or instants.scored_at < adjustments.expires_at)
),

fit as (
    select
        scoring_id,
        contact_id,
        purpose,
        grid_role,
        'fit' as dimension,
        rule_id,
        description,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(1 as {{ dbt.type_bigint() }}) as occurrences,
        points as raw_points,
        points,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at
    from fit_scored
),

engagement as (
    select
        scoring_id,
        contact_id,
        purpose,
        grid_role,
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
        scoring_id,
        contact_id,
        purpose,
        grid_role,
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
        scoring_id,
        contact_id,
        purpose,
        grid_role,
        'adjustment' as dimension,
        adjustment_id as rule_id,
        reason as description,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(1 as {{ dbt.type_bigint() }}) as occurrences,
        points as raw_points,
        points,
        created_at as last_occurred_at
    from adjustments_scored
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
        {{ dbt.concat(['scoring_id', "'|'", 'dimension', "'|'", 'rule_id']) }} as scoring_contribution_id,
        *
    from unioned
)

select * from final
