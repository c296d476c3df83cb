{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the task table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'task' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as task_id,
        {{ leadscore.salesforce_text(table, 'who_id') }} as who_id,
        {{ leadscore.salesforce_text(table, 'what_id') }} as what_id,
        {{ leadscore.salesforce_text(table, 'account_id') }} as account_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'type') }} as task_type,
        {{ leadscore.salesforce_text(table, 'task_subtype') }} as task_subtype,
        {{ leadscore.salesforce_text(table, 'subject') }} as subject,
        {{ leadscore.salesforce_text(table, 'status') }} as status,

        -- numerics
        {{ leadscore.salesforce_column(table, 'call_duration_in_seconds', dbt.type_bigint()) }} as call_duration_in_seconds,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_closed') }} as is_closed,
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'activity_date', dbt.type_timestamp()) }} as activity_date,
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
