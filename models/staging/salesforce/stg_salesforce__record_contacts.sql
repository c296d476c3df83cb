{{ config(enabled='salesforce' in var('source_systems'), materialized='table') }}
{#- Which live contact each lead or contact record belongs to. A record with a master_record_id was merged
    into that master; a converted lead continues as its converted_contact_id; a record that is neither is
    a contact of its own unless it is deleted. The steps are followed up to four hops (a merged lead whose
    master was converted into a contact that was merged: three). A record that reaches a deleted, missing
    or still-moving record belongs to no contact and is left out, with its activity. A table, not a view:
    five models read it, and the four self-joins are then computed once per build. -#}
with

leads as (
    select * from {{ ref('base_salesforce__lead') }}
),

contacts as (
    select * from {{ ref('base_salesforce__contact') }}
),

records as (
    select
        lead_id as record_id,
        'lead' as record_type,
        coalesce(master_record_id, case when is_converted and not is_deleted then converted_contact_id end) as next_record_id,
        is_deleted,
        email,
        created_at
    from leads

    union all

    select
        contact_record_id as record_id,
        'contact' as record_type,
        master_record_id as next_record_id,
        is_deleted,
        email,
        created_at
    from contacts
),

hop_1 as (
    select
        record_id,
        coalesce(next_record_id, record_id) as reached_id
    from records
),

hop_2 as (
    select
        hop_1.record_id,
        coalesce(reached.next_record_id, hop_1.reached_id) as reached_id
    from hop_1
    left join records as reached on hop_1.reached_id = reached.record_id
),

hop_3 as (
    select
        hop_2.record_id,
        coalesce(reached.next_record_id, hop_2.reached_id) as reached_id
    from hop_2
    left join records as reached on hop_2.reached_id = reached.record_id
),

hop_4 as (
    select
        hop_3.record_id,
        coalesce(reached.next_record_id, hop_3.reached_id) as reached_id
    from hop_3
    left join records as reached on hop_3.reached_id = reached.record_id
),

live_survivors as (
    select record_id
    from records
    where next_record_id is null and not is_deleted
),

final as (
    select
        -- ids
        records.record_id,
        hop_4.reached_id as contact_id,

        -- strings
        records.record_type,
        records.email,

        -- booleans
        records.record_id = hop_4.reached_id as is_survivor,

        -- timestamps
        records.created_at

    from records
    inner join hop_4 on records.record_id = hop_4.record_id
    inner join live_survivors on hop_4.reached_id = live_survivors.record_id
)

select * from final
