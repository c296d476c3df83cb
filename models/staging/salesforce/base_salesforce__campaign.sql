{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'campaign') }}
),

renamed as (
    select
        -- ids
        id as campaign_id,

        -- strings
        nullif(trim(name), '') as campaign_name,
        nullif(trim(type), '') as campaign_type,

        -- booleans
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted

    from source
)

select * from renamed
