{# seeds/scoring_grids.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('scoring_grids') }}
),

final as (
    select
        grid,
        inactivity_days,
        inactivity_points,
        description
    from source
)

select * from final
