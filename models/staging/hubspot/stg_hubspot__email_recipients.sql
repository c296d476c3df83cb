{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The one lead an email address (lower-cased, trimmed) belongs to, for the email events (which carry
    only the recipient's address) and the identity edges. Several contacts may share an address (a
    shared inbox, duplicates not yet merged): the address goes to one lead only, so an event is counted
    once. The owner is chosen among the contacts with that address whose lead is live: a live contact
    first (a merged one's address follows it to its survivor), then the earliest created, then the
    smallest id. An address held only by deleted contacts has no lead (lead_contact_id null): its events
    are not scored. #}

with

contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

contact_leads as (
    select * from {{ ref('stg_hubspot__contact_leads') }}
),

addresses as (
    select
        contacts.email,
        contacts.contact_id,
        contacts.created_at,
        contact_leads.lead_contact_id,
        contact_leads.resolution
    from contacts
    inner join contact_leads
        on contacts.contact_id = contact_leads.contact_id
    where contacts.email is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by email
            order by
                case when lead_contact_id is null then 1 else 0 end,
                case when resolution = 'lead' then 0 else 1 end,
                case when created_at is null then 1 else 0 end,
                created_at,
                contact_id
        ) as owner_rank,
        count(*) over (partition by email) as contacts_with_address
    from addresses
),

final as (
    select
        email,
        lead_contact_id,
        contact_id as owner_contact_id,
        created_at as seen_at,
        contacts_with_address
    from ranked
    where owner_rank = 1
)

select * from final
