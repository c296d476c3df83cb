{# seeds/identity_exclusions.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('identity_exclusions') }}
),

final as (
    select
        node_type,
        value_pattern,
        reason
    from source
)

select * from final
