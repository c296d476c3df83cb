{#- Consent and erasure: a contact who refused consent or is do-not-contact never reaches an export
    (mql_handoffs) or a sync (crm_lead_sync). Returns every such row. -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

handed_over as (
    select
        contact_id,
        'mql_handoffs' as handed_over_in
    from {{ ref('mql_handoffs') }}
    union all
    select
        contact_id,
        'crm_lead_sync' as handed_over_in
    from {{ ref('crm_lead_sync') }}
),

final as (
    select
        handed_over.contact_id,
        handed_over.handed_over_in,
        contacts.has_marketing_consent,
        contacts.is_do_not_contact
    from handed_over
    inner join contacts
        on handed_over.contact_id = contacts.contact_id
    where
        contacts.has_marketing_consent = false
        or coalesce(contacts.is_do_not_contact, false)
)

select * from final
