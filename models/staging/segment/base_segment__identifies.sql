{{ config(enabled='segment' in var('source_systems')) }}
{#- Segment's identifies, one row per call: who the visitor (anonymous_id) says they are. -#}
{%- set system, table = 'segment', 'identifies' -%}
with

source as (
    select * from {{ leadscore.tracker_source(system, table) }}
),

renamed as (
    select
        -- ids
        {{ leadscore.tracker_id(system, table, 'id') }} as message_id,
        {{ leadscore.tracker_id(system, table, 'anonymous_id') }} as anonymous_id,
        {{ leadscore.tracker_id(system, table, 'user_id') }} as user_id,

        -- strings
        {{ leadscore.tracker_id(system, table, ['email', 'context_traits_email'], lower_case=true) }} as email,

        -- timestamps
        {{ leadscore.tracker_column(system, table, 'timestamp', dbt.type_timestamp()) }} as occurred_at,
        {{ leadscore.tracker_column(system, table, 'received_at', dbt.type_timestamp()) }} as received_at

    from source
)

select * from renamed
