{#- Product scores split the engagement rule totals without losing or inventing points: per
    contact, the product-tagged points (product_scores) plus the untagged rest add up to the
    sum of the engagement rule totals, the rule-level part of engagement_score. -#}
with

rule_totals as (
    select
        contact_id,
        sum(points) as rule_points
    from {{ ref('int_engagement_rule_totals') }}
    where purpose = 'current' and grid_role = 'champion'
    group by contact_id
),

product_totals as (
    select
        contact_id,
        sum(engagement_score) as product_points
    from {{ ref('product_scores') }}
    group by contact_id
),

untagged_totals as (
    select
        contact_id,
        sum(points) as untagged_points
    from {{ ref('int_engagement_product_points') }}
    where product_line is null
    group by contact_id
),

compared as (
    select
        rule_totals.contact_id,
        rule_totals.rule_points,
        coalesce(product_totals.product_points, 0) as product_points,
        coalesce(untagged_totals.untagged_points, 0) as untagged_points
    from rule_totals
    left join product_totals
        on rule_totals.contact_id = product_totals.contact_id
    left join untagged_totals
        on rule_totals.contact_id = untagged_totals.contact_id
)

select *
from compared
where abs(rule_points - product_points - untagged_points) > 0.000001
