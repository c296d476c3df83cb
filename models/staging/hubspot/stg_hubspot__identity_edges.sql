{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Identifiers seen together in HubSpot: each address with the one lead that owns it
    (stg_hubspot__email_recipients: also the addresses of contacts merged into it), seen from the
    owning contact's creation. An address several contacts share links only its owner, so that the
    identity graph does not join two leads through it. #}

with

email_recipients as (
    select * from {{ ref('stg_hubspot__email_recipients') }}
),

final as (
    select
        'hubspot' as source_system,
        'contact' as source_table,
        'contact' as left_type,
        lead_contact_id as left_id,
        'email' as right_type,
        email as right_id,
        seen_at
    from email_recipients
    where lead_contact_id is not null
)

select * from final
