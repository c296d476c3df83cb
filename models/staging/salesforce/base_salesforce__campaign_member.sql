{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Every column through the salesforce_* macros (macros/sources/salesforce_tables.sql): a connection
    without the campaign_member table reads as no rows, a column it lacks as a typed null. -#}
{%- set table = 'campaign_member' %}
with

source as (
    select * from {{ leadscore.salesforce_source(table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.salesforce_text(table, 'id') }} as campaign_member_id,
        {{ leadscore.salesforce_text(table, 'campaign_id') }} as campaign_id,
        {{ leadscore.salesforce_text(table, 'lead_id') }} as lead_id,
        {{ leadscore.salesforce_text(table, 'contact_id') }} as contact_record_id,
        {{ leadscore.salesforce_text(table, 'lead_or_contact_id') }} as lead_or_contact_id,

        -- strings
        {{ leadscore.salesforce_text(table, 'status') }} as member_status,

        -- booleans
        {{ leadscore.salesforce_flag(table, 'has_responded') }} as has_responded,
        {{ leadscore.salesforce_flag(table, 'is_deleted') }} as is_deleted,

        -- timestamps
        {{ leadscore.salesforce_column(table, 'first_responded_date', dbt.type_timestamp()) }} as first_responded_at,
        {{ leadscore.salesforce_column(table, 'created_date', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.salesforce_column(table, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
