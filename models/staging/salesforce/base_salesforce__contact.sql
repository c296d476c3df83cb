{{ config(enabled='salesforce' in var('source_systems')) }}
with

source as (
    select * from {{ source('salesforce', 'contact') }}
),

renamed as (
    select
        -- ids
        id as contact_record_id,
        nullif(trim(master_record_id), '') as master_record_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(owner_id), '') as owner_id,

        -- strings
        nullif(lower(trim(email)), '') as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(title), '') as job_title,
        nullif(trim(mailing_country), '') as country,
        nullif(trim(mailing_state), '') as state,
        nullif(trim(mailing_city), '') as city,
        nullif(trim(phone), '') as phone,
        nullif(lower(trim(lead_source)), '') as lead_source,
        {{ leadscore.salesforce_custom_attributes(source('salesforce', 'contact')) }} as custom_attributes,

        -- booleans
        coalesce(cast(is_deleted as {{ dbt.type_boolean() }}), false) as is_deleted,
        cast(has_opted_out_of_email as {{ dbt.type_boolean() }}) as has_opted_out_of_email,
        cast(do_not_call as {{ dbt.type_boolean() }}) as do_not_call,

        -- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(last_modified_date as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
