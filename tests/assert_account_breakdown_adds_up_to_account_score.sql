{#- Explainability invariant for accounts: an account's breakdown points add up to its
    account_score, and an account without contributions scores exactly zero. -#}
with

breakdown_totals as (
    select
        account_id,
        sum(points) as breakdown_points
    from {{ ref('account_score_breakdown') }}
    group by account_id
),

compared as (
    select
        account_scores.account_id,
        account_scores.account_score,
        coalesce(breakdown_totals.breakdown_points, 0) as breakdown_points
    from {{ ref('account_scores') }} as account_scores
    left join breakdown_totals
        on account_scores.account_id = breakdown_totals.account_id
)

select *
from compared
where abs(account_score - breakdown_points) > 0.000001
