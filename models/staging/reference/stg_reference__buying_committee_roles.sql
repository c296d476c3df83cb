{# seeds/buying_committee_roles.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('buying_committee_roles') }}
),

final as (
    select
        role_id,
        job_level,
        job_function,
        points,
        description
    from source
)

select * from final
