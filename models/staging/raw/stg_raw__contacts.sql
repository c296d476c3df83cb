{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'contacts') }}
),

renamed as (
    select
        -- ids
        contact_id,
        nullif(trim(account_id), '') as account_id,

        -- strings
        nullif(lower(trim(email)), '') as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(job_title), '') as job_title,
        nullif(trim(company_name), '') as company_name,
        nullif(trim(industry), '') as industry,
        nullif(trim(country), '') as country,
        nullif(trim(state), '') as state,
        nullif(trim(city), '') as city,
        nullif(trim(phone), '') as phone,
        nullif(lower(trim(lead_source)), '') as lead_source,
        nullif(lower(trim(purchase_authority)), '') as purchase_authority,
        nullif(lower(trim(purchase_timeline)), '') as purchase_timeline,
        custom_attributes,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        uses_competitor,
        has_marketing_consent,
        is_do_not_contact,

        -- timestamps
        created_at,
        updated_at

    from source
)

select * from renamed
