{#- The scoring-at-instants models (int_feedback_*) score every contact at as_of with the champion
    grid when a challenger is set: they must give exactly what the engine gives in lead_scores, so
    that the backtest and champion / challenger measure the engine itself. -#}
with

feedback_scores as (
    select * from {{ ref('int_feedback_lead_scores') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

champion_now as (
    select *
    from feedback_scores
    where purpose = 'current' and grid_role = 'champion'
)

select
    lead_scores.contact_id,
    lead_scores.lead_score_unclamped,
    champion_now.lead_score_unclamped as feedback_lead_score_unclamped,
    lead_scores.tier,
    champion_now.tier as feedback_tier
from lead_scores
inner join champion_now
    on lead_scores.contact_id = champion_now.contact_id
where
    abs(lead_scores.lead_score_unclamped - champion_now.lead_score_unclamped) > 1e-6
    or abs(lead_scores.lead_score - champion_now.lead_score) > 1e-6
    or lead_scores.grade <> champion_now.grade
    or lead_scores.tier <> champion_now.tier
    or lead_scores.is_mql <> champion_now.is_mql
    or coalesce(lead_scores.mql_blocked_reason, '') <> coalesce(champion_now.mql_blocked_reason, '')
