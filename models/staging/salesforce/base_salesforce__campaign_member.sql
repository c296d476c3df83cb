{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'campaign_member') }}
),

renamed as (
    select
        -- ids
        id as campaign_member_id,
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(lead_id), '') as lead_id,
        nullif(trim(contact_id), '') as contact_record_id,
        nullif(trim(lead_or_contact_id), '') as lead_or_contact_id,

        -- strings
        nullif(trim(status), '') as member_status,

        -- booleans
        coalesce(cast(has_responded as {{ dbt.type_boolean() }}), false) as has_responded,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        cast(first_responded_date as {{ dbt.type_timestamp() }}) as first_responded_at,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
