{#- Each contact's engagement rule totals split by product line, so that product scores add up
    to the product-tagged part of the engagement score. An event's product line is its rule's
    product_line, else the one seeds/product_line_mappings gives the event (a generic "page view"
    rule is attributed by URL; int_engagement_event_matches.scored_product_line), else none (the untagged row, product_line null). A rule's total
    after decay and cap is shared among product lines in proportion to their decayed points. -#}
{%- set exponential = leadscore.sql_boolean(
    leadscore.choice_var('decay_method') == 'exponential'
) %}

with

rule_sums as (
    select * from {{ ref('int_engagement_rule_sums') }}
),

events_scored as (
    select * from {{ ref('int_engagement_events_scored') }}
),

{# the champion grid at as_of #}
rule_totals as (
    select * from {{ ref('int_engagement_rule_totals') }}
    where purpose = 'current' and grid_role = 'champion'
),

{# exponential decay: the running sums brought forward to as_of (as in int_engagement_rule_totals);
   another decay method: the decayed events (the branch not taken reads nothing) #}
product_totals as (
    select
        contact_id,
        rule_id,
        product_line,
        occurrences,
        raw_points,
        {{ leadscore.running_sum_decayed_points() }} as decayed_points,
        last_occurred_at
    from rule_sums
    where {{ exponential }}
    union all
    select
        contact_id,
        rule_id,
        scored_product_line as product_line,
        count(*) as occurrences,
        sum(raw_points) as raw_points,
        sum(points) as decayed_points,
        max(occurred_at) as last_occurred_at
    from events_scored
    where not {{ exponential }}
    group by contact_id, rule_id, scored_product_line
),

final as (
    select
        {{ dbt.concat([
            'product_totals.contact_id', "'|'", 'product_totals.rule_id', "'|'",
            "coalesce(product_totals.product_line, '')"
        ]) }} as contact_rule_product_id,
        product_totals.contact_id,
        product_totals.rule_id,
        product_totals.product_line,
        rule_totals.category,
        product_totals.occurrences,
        product_totals.raw_points,
        product_totals.decayed_points,
        case
            when rule_totals.decayed_points = 0 then 0.0
            else rule_totals.points * product_totals.decayed_points / rule_totals.decayed_points
        end as points,
        product_totals.last_occurred_at
    from product_totals
    inner join rule_totals
        on
            product_totals.contact_id = rule_totals.contact_id
            and product_totals.rule_id = rule_totals.rule_id
)

select * from final
