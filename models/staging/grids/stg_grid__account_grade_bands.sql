{# seeds/account_grade_bands.csv as score ranges: a score gets the band whose [min_score, max_score) holds it
   (the floor band has no min_score, the top band no max_score); its post-hook has validated it #}
with

source as (
    select * from {{ ref('account_grade_bands') }}
),

typed as (
    select
        -- strings
        dimension,
        band,

        -- numerics
        {{ leadscore.to_number('min_score') }} as min_score

    from source
),

ranged as (
    select
        dimension,
        band,
        min_score,
        lead(min_score) over (
            partition by dimension
            order by coalesce(min_score, -1e300)
        ) as max_score
    from typed
)

select * from ranged
