{{ config(enabled='salesforce' in var('source_systems')) }}
{#- (contact, email) pairs: every lead or contact record of a live contact that has an email links that
    contact's id with the address, from the record's creation. A merged or converted record's address
    links to the contact it now belongs to. One row per pair, from the table where it was first seen. -#}
with

record_contacts as (
    select * from {{ ref('stg_salesforce__record_contacts') }}
),

record_emails as (
    select
        contact_id,
        email,
        record_type as source_table,
        created_at,
        row_number() over (
            partition by contact_id, email order by created_at, record_type, record_id
        ) as sighting_rank
    from record_contacts
    where email is not null
),

final as (
    select
        'salesforce' as source_system,
        source_table,
        'contact' as left_type,
        contact_id as left_id,
        'email' as right_type,
        email as right_id,
        created_at as seen_at
    from record_emails
    where sighting_rank = 1
)

select * from final
