{#- The tracked people no contact could be found for as of as_of, with their events: one row per
    component of the identity graph without a contact (or, for events whose ids are in no edge, per
    id), so that their browsing is kept and counts for the contact as soon as a link appears
    (docs/identity.md). -#}
with

events_identified as (
    select * from {{ ref('int_events_identified') }}
),

unresolved_events as (
    select *
    from events_identified
    where
        contact_id is null
        and occurred_at <= {{ leadscore.as_of_timestamp() }}
),

final as (
    select
        -- ids
        profile_id,
        min(anonymous_id) as anonymous_id,
        min(user_id) as user_id,
        min(email) as email,

        -- numerics
        count(*) as event_count,
        count(distinct anonymous_id) as anonymous_ids,
        count(distinct event_type) as event_types,

        -- timestamps
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at

    from unresolved_events
    group by profile_id
)

select * from final
