{#- Each contact's lead status at as_of: the latest change at or before it. -#}
with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

ranked as (
    select
        contact_id,
        status,
        owner,
        changed_at,
        row_number() over (
            partition by contact_id
            order by changed_at desc, status asc
        ) as recency_rank
    from status_changes
    where changed_at <= {{ leadscore.as_of_timestamp() }}
),

final as (
    select
        contact_id,
        status,
        owner,
        changed_at as status_changed_at
    from ranked
    where recency_rank = 1
)

select * from final
