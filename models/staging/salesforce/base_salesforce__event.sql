{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the event table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'event' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as event_record_id,
        {{ leadscore.salesforce_text(table, 'who_id') }} as who_id,
        {{ leadscore.salesforce_text(table, 'what_id') }} as what_id,
        {{ leadscore.salesforce_text(table, 'account_id') }} as account_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'type') }} as event_record_type,
        {{ leadscore.salesforce_text(table, 'event_subtype') }} as event_subtype,
        {{ leadscore.salesforce_text(table, 'subject') }} as subject,

        -- numerics
        {{ leadscore.salesforce_column(table, 'duration_in_minutes', dbt.type_bigint()) }} as duration_in_minutes,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, ['activity_date_time', 'activity_date'], dbt.type_timestamp()) }}
            as started_at,
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
