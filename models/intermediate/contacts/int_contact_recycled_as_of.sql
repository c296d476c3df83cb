{#- Each contact's latest recycle at or before as_of. -#}
with

recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

final as (
    select
        contact_id,
        max(recycled_at) as recycled_at
    from recycles
    group by contact_id
)

select * from final
