{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the account table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'account' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as account_id,
        {{ leadscore.salesforce_text(table, 'master_record_id') }} as master_record_id,
        {{ leadscore.salesforce_text(table, 'parent_id') }} as parent_account_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'name') }} as account_name,
        {{ leadscore.salesforce_text(table, 'website', lower_case=true) }} as website,
        {{ leadscore.salesforce_text(table, 'industry') }} as industry,
        {{ leadscore.salesforce_text(table, 'billing_country') }} as country,
        {{ leadscore.salesforce_text(table, 'type', lower_case=true) }} as account_type,
        {{ leadscore.salesforce_custom_attributes(table) }} as custom_attributes,

        -- numerics
        {{ leadscore.salesforce_column(table, 'number_of_employees', dbt.type_bigint()) }} as employee_count,
        {{ leadscore.salesforce_column(table, 'annual_revenue', 'double') }} as annual_revenue,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, 'last_modified_date', dbt.type_timestamp()) }} as updated_at,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
