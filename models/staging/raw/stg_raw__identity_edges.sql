{{ config(enabled='raw' in var('source_systems')) }}
{#- The raw contract's identity edges: each contact with its email (lower-cased), seen at its
    created_at, so that a tracker's rows carrying that email reach the contact (docs/identity.md).
    Raw events carry their contact_id; their anonymous ids join through the events' own pairs. -#}
with

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

final as (
    select
        'raw' as source_system,
        'contacts' as source_table,
        'contact' as left_type,
        contact_id as left_id,
        'email' as right_type,
        email as right_id,
        created_at as seen_at
    from contacts
    where email is not null
)

select * from final
