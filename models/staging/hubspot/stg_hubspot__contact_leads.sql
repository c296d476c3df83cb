{{ config(enabled='hubspot' in var('source_systems')) }}
{#- The lead each HubSpot contact id counts for: itself when it is live, its survivor when it was
    merged (even when Fivetran flags the merged record deleted), none (null) when it is deleted. One
    row per id of the contact table or of a merge list; events, forms and deals of a contact id go to
    lead_contact_id, and are not scored when it is null. #}

with

contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

contact_merges as (
    select * from {{ ref('stg_hubspot__contact_merges') }}
),

contact_ids as (
    select contact_id from contacts
    union
    select merged_contact_id as contact_id from contact_merges
),

resolved as (
    select
        contact_ids.contact_id,
        case
            when contact_merges.surviving_contact_id is not null then survivors.contact_id
            when not contacts.is_deleted then contacts.contact_id
        end as lead_contact_id,
        case
            when contact_merges.surviving_contact_id is not null then 'merged'
            when contacts.is_deleted then 'deleted'
            when contacts.contact_id is null then 'unknown'
            else 'lead'
        end as resolution
    from contact_ids
    left join contacts
        on contact_ids.contact_id = contacts.contact_id
    left join contact_merges
        on contact_ids.contact_id = contact_merges.merged_contact_id
    left join contacts as survivors
        on
            contact_merges.surviving_contact_id = survivors.contact_id
            and not survivors.is_deleted
),

final as (
    select
        contact_id,
        lead_contact_id,
        resolution
    from resolved
)

select * from final
