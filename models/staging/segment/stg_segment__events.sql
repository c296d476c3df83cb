{{ config(enabled='segment' in var('source_systems')) }}
{#- Segment's calls that are events (pages, screens, tracks), in the canonical shape of events. A
    call carries no CRM id: contact_id is null and the identity layer attaches it to a contact
    through its email, user_id or anonymous_id (docs/identity.md). Calls whose table has no row in
    seeds/source_event_mappings.csv have no event_type and are left out. -#}
with

pages as (
    select * from {{ ref('base_segment__pages') }}
),

screens as (
    select * from {{ ref('base_segment__screens') }}
),

tracks as (
    select * from {{ ref('base_segment__tracks') }}
),

calls as (
    select 'pages' as source_table, * from pages
    union all
    select 'screens' as source_table, * from screens
    union all
    select 'tracks' as source_table, * from tracks
),

final as (
    select
        -- ids
        {{ dbt.concat(["'segment:'", "source_table", "':'", "message_id"]) }} as event_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        anonymous_id,

        -- strings
        event_type,
        url,
        asset,
        campaign,
        properties,

        -- timestamps
        occurred_at,
        received_at as loaded_at,

        -- lineage
        'segment' as source_system,
        source_table,

        -- identities
        email,
        user_id

    from calls
    where event_type is not null
        and message_id is not null
        and occurred_at is not null
)

select * from final
