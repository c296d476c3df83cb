{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Which contact each merged contact lives on as: one row per id listed in a contact's
    property_hs_merged_object_ids (';'-separated). HubSpot lists on the surviving record every id
    ever merged into it (a chain A -> B -> C leaves A and B on C), so the survivor is the listing
    contact that is not itself merged away; when several live contacts list one id, the earliest
    created (then the smallest id) keeps it. #}

with

contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

{# positions 1..1000 in a list: more merges into one contact are not read (docs/sources/hubspot.md) #}
positions as (
    select hundreds.digit * 100 + tens.digit * 10 + units.digit + 1 as position
    from digits as hundreds
    cross join digits as tens
    cross join digits as units
),

listing_contacts as (
    select
        contact_id,
        is_deleted,
        created_at,
        merged_object_ids,
        {{ dbt.length('merged_object_ids') }} - {{ dbt.length(dbt.replace('merged_object_ids', "';'", "''")) }} + 1
            as listed_count
    from contacts
    where merged_object_ids is not null
),

listed_ids as (
    select distinct
        trim({{ leadscore.hubspot_list_item('listing_contacts.merged_object_ids', 'positions.position') }}) as merged_contact_id,
        listing_contacts.contact_id as surviving_contact_id,
        listing_contacts.is_deleted as is_survivor_deleted,
        listing_contacts.created_at as survivor_created_at
    from listing_contacts
    inner join positions
        on listing_contacts.listed_count >= positions.position
),

listed_merges as (
    select * from listed_ids
    where merged_contact_id <> '' and merged_contact_id <> surviving_contact_id
),

{# a survivor that is itself listed by another contact is an intermediate step of a chain #}
final_survivors as (
    select listed_merges.*
    from listed_merges
    left join listed_merges as merged_again
        on listed_merges.surviving_contact_id = merged_again.merged_contact_id
    where merged_again.merged_contact_id is null
),

ranked as (
    select
        merged_contact_id,
        surviving_contact_id,
        row_number() over (
            partition by merged_contact_id
            order by
                case when is_survivor_deleted then 1 else 0 end,
                case when survivor_created_at is null then 1 else 0 end,
                survivor_created_at,
                surviving_contact_id
        ) as survivor_rank
    from final_survivors
),

final as (
    select
        merged_contact_id,
        surviving_contact_id
    from ranked
    where survivor_rank = 1
)

select * from final
