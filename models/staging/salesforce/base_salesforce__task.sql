{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'task') }}
),

renamed as (
    select
        -- ids
        id as task_id,
        nullif(trim(who_id), '') as who_id,
        nullif(trim(what_id), '') as what_id,
        nullif(trim(account_id), '') as account_id,

        -- strings
        nullif(trim(type), '') as task_type,
        nullif(trim(task_subtype), '') as task_subtype,
        nullif(trim(subject), '') as subject,
        nullif(trim(status), '') as status,

        -- numerics
        call_duration_in_seconds,

        -- booleans
        coalesce(cast(is_closed as {{ dbt.type_boolean() }}), false) as is_closed,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_date,
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
