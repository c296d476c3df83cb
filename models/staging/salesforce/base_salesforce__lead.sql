{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'lead') }}
),

renamed as (
    select
        -- ids
        id as lead_id,
        nullif(trim(master_record_id), '') as master_record_id,
        nullif(trim(converted_contact_id), '') as converted_contact_id,
        nullif(trim(converted_account_id), '') as converted_account_id,
        nullif(trim(converted_opportunity_id), '') as converted_opportunity_id,
        nullif(trim(owner_id), '') as owner_id,

        -- strings
        nullif(lower(trim(email)), '') as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(title), '') as job_title,
        nullif(trim(company), '') as company_name,
        nullif(trim(industry), '') as industry,
        nullif(trim(country), '') as country,
        nullif(trim(state), '') as state,
        nullif(trim(city), '') as city,
        nullif(trim(phone), '') as phone,
        nullif(lower(trim(lead_source)), '') as lead_source,
        nullif(lower(trim(status)), '') as status,
        {{ leadscore.salesforce_custom_attributes(source('salesforce', 'lead')) }} as custom_attributes,

        -- numerics
        cast(number_of_employees as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue as double) as annual_revenue,

        -- booleans
        coalesce(cast(is_converted as {{ dbt.type_boolean() }}), false) as is_converted,
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast(has_opted_out_of_email as {{ dbt.type_boolean() }}) as has_opted_out_of_email,
        cast(do_not_call as {{ dbt.type_boolean() }}) as do_not_call,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(last_modified_date as {{ dbt.type_timestamp() }}) as updated_at,
        cast(converted_date as {{ dbt.type_timestamp() }}) as converted_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
