{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'opportunity') }}
),

renamed as (
    select
        -- ids
        id as opportunity_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(campaign_id), '') as campaign_id,

        -- strings
        nullif(lower(trim(stage_name)), '') as stage,

        -- numerics
        cast(amount as double) as amount,

        -- booleans
        coalesce(cast(is_closed as {{ dbt.type_boolean() }}), false) as is_closed,
        coalesce(cast(is_won as {{ dbt.type_boolean() }}), false) as is_won,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(close_date as {{ dbt.type_timestamp() }}) as close_date,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
