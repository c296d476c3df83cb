{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'accounts') }}
),

renamed as (
    select
        -- ids
        account_id,

        -- strings
        nullif(trim(name), '') as account_name,
        nullif(lower(trim(domain)), '') as domain,
        nullif(trim(industry), '') as industry,
        nullif(trim(country), '') as country,
        nullif(lower(trim(account_type)), '') as account_type,
        custom_attributes,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        is_target_account,

        -- timestamps
        created_at,
        updated_at

    from source
)

select * from renamed
