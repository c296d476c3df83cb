{#- Explainability invariant: a contact's breakdown points add up to its (unclamped) lead score,
    and a contact without contributions scores exactly zero. -#}
with

breakdown_totals as (
    select
        contact_id,
        sum(points) as breakdown_points
    from {{ ref('lead_score_breakdown') }}
    group by contact_id
),

compared as (
    select
        lead_scores.contact_id,
        lead_scores.lead_score_unclamped,
        coalesce(breakdown_totals.breakdown_points, 0) as breakdown_points
    from {{ ref('lead_scores') }} as lead_scores
    left join breakdown_totals
        on lead_scores.contact_id = breakdown_totals.contact_id
)

select *
from compared
where abs(lead_score_unclamped - breakdown_points) > 0.000001
