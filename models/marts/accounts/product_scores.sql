{#- Engagement per contact and product line: the contact's engagement rule totals (after decay
    and caps) attributed to product lines by int_engagement_product_points. The top product line
    is the one with the highest positive score (ties: alphabetical). -#}
with

product_points as (
    select * from {{ ref('int_engagement_product_points') }}
),

resolution as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

product_sums as (
    select
        contact_id,
        product_line,
        sum(occurrences) as occurrences,
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
        {{ dbt.concat(['ranked.contact_id', "'|'", 'ranked.product_line']) }} as product_score_id,
        ranked.contact_id,
        resolution.resolved_account_id,
        ranked.product_line,
        ranked.engagement_score,
        ranked.raw_points,
        ranked.occurrences,
        ranked.product_rank,
        ranked.product_rank = 1 and ranked.engagement_score > 0 as is_top_product_line,
        ranked.last_engaged_at,
        {{ leadscore.as_of_timestamp() }} as as_of
    from ranked
    left join resolution
        on ranked.contact_id = resolution.contact_id
)

select * from final
