{# seeds/grade_bands.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('grade_bands') }}
),

final as (
    select
        dimension,
        band,
        min_score
    from source
)

select * from final
