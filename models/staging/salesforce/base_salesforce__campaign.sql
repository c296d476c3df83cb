{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the campaign table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'campaign' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as campaign_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'name') }} as campaign_name,
        {{ leadscore.salesforce_text(table, 'type') }} as campaign_type,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted

    from source
)

select * from renamed
