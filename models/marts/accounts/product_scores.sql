{#- Engagement per contact and product line (int_contact_product_lines_ranked), with the
    contact's resolved account. -#}
with

product_lines as (
    select * from {{ ref('int_contact_product_lines_ranked') }}
),

resolution as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

final as (
    select
        product_lines.product_score_id,
        product_lines.contact_id,
        resolution.resolved_account_id,
        product_lines.product_line,
        product_lines.engagement_score,
        product_lines.raw_points,
        product_lines.occurrences,
        product_lines.product_rank,
        product_lines.is_top_product_line,
        product_lines.last_engaged_at,
        {{ leadscore.as_of_timestamp() }} as as_of
    from product_lines
    left join resolution
        on product_lines.contact_id = resolution.contact_id
)

select * from final
