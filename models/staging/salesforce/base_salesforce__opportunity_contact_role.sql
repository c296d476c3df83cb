{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the opportunity_contact_role table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'opportunity_contact_role' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as opportunity_contact_role_id,
        {{ leadscore.salesforce_text(table, 'opportunity_id') }} as opportunity_id,
        {{ leadscore.salesforce_text(table, 'contact_id') }} as contact_record_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'role', lower_case=true) }} as role,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_primary') }} as is_primary,
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at

    from source
)

select * from renamed
