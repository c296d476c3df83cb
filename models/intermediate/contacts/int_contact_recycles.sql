{#- Every recycle (a change to var recycle_status) at or before as_of: what a recycle is, written
    once for every model that drops the engagement before one. -#}
with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

final as (
    select
        contact_id,
        changed_at as recycled_at
    from status_changes
    where
        status = lower('{{ var("recycle_status") }}')
        and changed_at <= {{ leadscore.as_of_timestamp() }}
)

select * from final
