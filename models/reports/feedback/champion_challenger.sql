{#- Every contact scored at as_of by the champion grid (var scoring_grid) and the challenger (var
    challenger_grid), side by side, and how its status would change if the challenger replaced the
    champion: becomes_mql, no_longer_mql, tier_up, tier_down or unchanged. No rows when
    challenger_grid is not set. Both sides are scorings of int_lead_scores_by_scoring; the
    champion's is the one lead_scores reads. -#}
with

feedback_scores as (
    select * from {{ ref('int_lead_scores_by_scoring') }}
),

champion as (
    select *
    from feedback_scores
    where purpose = 'current' and grid_role = 'champion'
),

challenger as (
    select *
    from feedback_scores
    where purpose = 'current' and grid_role = 'challenger'
),

compared as (
    select
        champion.contact_id,
        champion.grid as champion_grid,
        challenger.grid as challenger_grid,
        champion.lead_score as champion_score,
        challenger.lead_score as challenger_score,
        challenger.lead_score - champion.lead_score as score_change,
        champion.grade as champion_grade,
        challenger.grade as challenger_grade,
        champion.tier as champion_tier,
        challenger.tier as challenger_tier,
        champion.is_mql as champion_is_mql,
        challenger.is_mql as challenger_is_mql,
        case champion.tier when 'hot' then 3 when 'warm' then 2 else 1 end as champion_tier_rank,
        case challenger.tier when 'hot' then 3 when 'warm' then 2 else 1 end as challenger_tier_rank
    from champion
    inner join challenger
        on champion.contact_id = challenger.contact_id
),

final as (
    select
        contact_id,
        champion_grid,
        challenger_grid,
        champion_score,
        challenger_score,
        score_change,
        champion_grade,
        challenger_grade,
        champion_tier,
        challenger_tier,
        champion_is_mql,
        challenger_is_mql,
        case
            when challenger_is_mql and not champion_is_mql then 'becomes_mql'
            when champion_is_mql and not challenger_is_mql then 'no_longer_mql'
            when challenger_tier_rank > champion_tier_rank then 'tier_up'
            when challenger_tier_rank < champion_tier_rank then 'tier_down'
            else 'unchanged'
        end as status_change
    from compared
)

select * from final
