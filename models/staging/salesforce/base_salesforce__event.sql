{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'event') }}
),

renamed as (
    select
        -- ids
        id as event_record_id,
        nullif(trim(who_id), '') as who_id,
        nullif(trim(what_id), '') as what_id,
        nullif(trim(account_id), '') as account_id,

        -- strings
        nullif(trim(type), '') as event_record_type,
        nullif(trim(event_subtype), '') as event_subtype,
        nullif(trim(subject), '') as subject,

        -- numerics
        duration_in_minutes,

        -- booleans
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        coalesce(
            cast(activity_date_time as {{ dbt.type_timestamp() }}), cast(activity_date as {{ dbt.type_timestamp() }})
        ) as started_at,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
