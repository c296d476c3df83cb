{# seeds/lifecycle_stages.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('lifecycle_stages') }}
),

final as (
    select
        stage,
        stage_order,
        team,
        counts_as_sales_touch,
        description
    from source
)

select * from final
