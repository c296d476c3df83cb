{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the lead table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'lead' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as lead_id,
        {{ leadscore.salesforce_text(table, 'master_record_id') }} as master_record_id,
        {{ leadscore.salesforce_text(table, 'converted_contact_id') }} as converted_contact_id,
        {{ leadscore.salesforce_text(table, 'converted_account_id') }} as converted_account_id,
        {{ leadscore.salesforce_text(table, 'converted_opportunity_id') }} as converted_opportunity_id,
        {{ leadscore.salesforce_text(table, 'owner_id') }} as owner_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'email', lower_case=true) }} as email,
        {{ leadscore.salesforce_text(table, 'first_name') }} as first_name,
        {{ leadscore.salesforce_text(table, 'last_name') }} as last_name,
        {{ leadscore.salesforce_text(table, 'title') }} as job_title,
        {{ leadscore.salesforce_text(table, 'company') }} as company_name,
        {{ leadscore.salesforce_text(table, 'industry') }} as industry,
        {{ leadscore.salesforce_text(table, 'country') }} as country,
        {{ leadscore.salesforce_text(table, 'state') }} as state,
        {{ leadscore.salesforce_text(table, 'city') }} as city,
        {{ leadscore.salesforce_text(table, 'phone') }} as phone,
        {{ leadscore.salesforce_text(table, 'lead_source', lower_case=true) }} as lead_source,
        {{ leadscore.salesforce_text(table, 'status', lower_case=true) }} as status,
        {{ leadscore.salesforce_custom_attributes(table) }} as custom_attributes,

        -- numerics
        {{ leadscore.salesforce_column(table, 'number_of_employees', dbt.type_bigint()) }} as employee_count,
        {{ leadscore.salesforce_column(table, 'annual_revenue', 'double') }} as annual_revenue,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_converted') }} as is_converted,
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,
        {{ leadscore.salesforce_column(table, 'has_opted_out_of_email', dbt.type_boolean()) }} as has_opted_out_of_email,
        {{ leadscore.salesforce_column(table, 'do_not_call', dbt.type_boolean()) }} as do_not_call,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, 'last_modified_date', dbt.type_timestamp()) }} as updated_at,
        {{ leadscore.salesforce_column(table, 'converted_date', dbt.type_timestamp()) }} as converted_at,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
