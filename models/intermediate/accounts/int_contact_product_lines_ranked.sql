{#- Engagement per contact and product line: the contact's engagement rule totals (after decay
    and caps) attributed to product lines by int_engagement_product_points, ranked. The top product
    line is the one with the highest positive score (ties: alphabetical). Read by product_scores
    and lead_scores (top_product_line), so both come from the same rows. -#}
with

product_points as (
    select * from {{ ref('int_engagement_product_points') }}
),

product_sums as (
    select
        contact_id,
        product_line,
        cast(sum(occurrences) as {{ dbt.type_bigint() }}) as occurrences,
        sum(raw_points) as raw_points,
        sum(points) as engagement_score,
        max(last_occurred_at) as last_engaged_at
    from product_points
    where product_line is not null
    group by contact_id, product_line
),

ranked as (
    select
        *,
        row_number() over (
            partition by contact_id
            order by engagement_score desc, product_line asc
        ) as product_rank
    from product_sums
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'product_line']) }} as product_score_id,
        contact_id,
        product_line,
        engagement_score,
        raw_points,
        occurrences,
        cast(product_rank as {{ dbt.type_bigint() }}) as product_rank,
        product_rank = 1 and engagement_score > 0 as is_top_product_line,
        last_engaged_at
    from ranked
)

select * from final
