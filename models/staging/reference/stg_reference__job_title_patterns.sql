{# seeds/job_title_patterns.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('job_title_patterns') }}
),

final as (
    select
        pattern_id,
        dimension,
        pattern,
        value,
        priority
    from source
)

select * from final
