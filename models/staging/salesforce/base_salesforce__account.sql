{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'account') }}
),

renamed as (
    select
        -- ids
        id as account_id,
        nullif(trim(master_record_id), '') as master_record_id,
        nullif(trim(parent_id), '') as parent_account_id,

        -- strings
        nullif(trim(name), '') as account_name,
        nullif(lower(trim(website)), '') as website,
        nullif(trim(industry), '') as industry,
        nullif(trim(billing_country), '') as country,
        nullif(lower(trim(type)), '') as account_type,
        {{ leadscore.salesforce_custom_attributes(source('salesforce', 'account')) }} as custom_attributes,

        -- numerics
        cast(number_of_employees as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue as double) as annual_revenue,

        -- booleans
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(last_modified_date as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
