{# seeds/product_line_mappings.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('product_line_mappings') }}
),

final as (
    select
        mapping_id,
        match_field,
        operator,
        value,
        product_line,
        priority,
        description
    from source
)

select * from final
