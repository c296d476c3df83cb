{#- Product interest per account: the product scores of the account's contacts (resolved by
    int_contacts_resolved_to_accounts) summed per product line, with how many contacts show a
    positive interest. The top product line is the one with the highest positive score. -#}
with

product_scores as (
    select * from {{ ref('product_scores') }}
),

account_sums as (
    select
        resolved_account_id as account_id,
        product_line,
        sum(engagement_score) as engagement_score,
        count(case when engagement_score > 0 then 1 end) as interested_contact_count,
        max(last_engaged_at) as last_engaged_at
    from product_scores
    where resolved_account_id is not null
    group by resolved_account_id, product_line
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id
            order by engagement_score desc, product_line asc
        ) as product_rank
    from account_sums
),

final as (
    select
        {{ dbt.concat(['account_id', "'|'", 'product_line']) }} as account_product_score_id,
        account_id,
        product_line,
        engagement_score,
        interested_contact_count,
        cast(product_rank as {{ dbt.type_bigint() }}) as product_rank,
        product_rank = 1 and engagement_score > 0 as is_top_product_line,
        last_engaged_at,
        {{ leadscore.as_of_timestamp() }} as as_of
    from ranked
)

select * from final
