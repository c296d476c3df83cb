{{ config(enabled='salesforce' in var('source_systems')) }}
{#- The current status of each lead record that is not deleted nor merged into another, as a change at
    its last modification (its creation when never modified), attributed to the contact the lead belongs
    to (a converted lead's contact; two leads of one contact with the same status at the same instant: one change). Earlier statuses need the lead field history, which is not read. -#}
with

leads as (
    select * from {{ ref('base_salesforce__lead') }}
),

record_contacts as (
    select * from {{ ref('stg_salesforce__record_contacts') }}
),

current_statuses as (
    select
        record_contacts.contact_id,
        leads.status,
        coalesce(leads.updated_at, leads.created_at) as changed_at,
        min(leads.owner_id) as owner_id,
        max(leads.synced_at) as synced_at
    from leads
    inner join record_contacts on leads.lead_id = record_contacts.record_id
    where
        leads.status is not null
        and leads.master_record_id is null
        and not leads.is_deleted
    group by record_contacts.contact_id, leads.status, coalesce(leads.updated_at, leads.created_at)
),

final as (
    select
        -- ids
        {{ dbt.hash(dbt.concat(["contact_id", "'|'", "cast(changed_at as " ~ dbt.type_string() ~ ")", "'|'", "status"])) }}
            as status_change_id,
        contact_id,

        -- strings
        status,
        cast(null as {{ dbt.type_string() }}) as reason,
        owner_id as owner,

        -- timestamps
        changed_at,
        synced_at as loaded_at,

        -- lineage
        'salesforce' as source_system

    from current_statuses
)

select * from final
