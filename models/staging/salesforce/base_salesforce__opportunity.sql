{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the opportunity table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'opportunity' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as opportunity_id,
        {{ leadscore.salesforce_text(table, 'account_id') }} as account_id,
        {{ leadscore.salesforce_text(table, 'campaign_id') }} as campaign_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'stage_name', lower_case=true) }} as stage,

        -- numerics
        {{ leadscore.salesforce_column(table, 'amount', 'double') }} as amount,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_closed') }} as is_closed,
        {{ leadscore.salesforce_flag(table, 'is_won') }} as is_won,
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, 'close_date', dbt.type_timestamp()) }} as close_date,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
