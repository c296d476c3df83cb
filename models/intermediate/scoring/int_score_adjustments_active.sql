{#- Manual adjustments in force at as_of: created_at <= as_of < expires_at (no expiry: for good). -#}
with

adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

final as (
    select
        adjustment_id,
        contact_id,
        points,
        reason,
        created_by,
        created_at,
        expires_at
    from adjustments
    where
        created_at <= {{ leadscore.as_of_timestamp() }}
        and (expires_at is null or expires_at > {{ leadscore.as_of_timestamp() }})
)

select * from final
