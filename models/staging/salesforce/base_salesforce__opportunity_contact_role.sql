{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'opportunity_contact_role') }}
),

renamed as (
    select
        -- ids
        id as opportunity_contact_role_id,
        opportunity_id,
        nullif(trim(contact_id), '') as contact_record_id,

        -- strings
        nullif(lower(trim(role)), '') as role,

        -- booleans
        coalesce(cast(is_primary as {{ dbt.type_boolean() }}), false) as is_primary,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at

    from source
)

select * from renamed
