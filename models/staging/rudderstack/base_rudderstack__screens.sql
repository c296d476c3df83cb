{{ config(enabled='rudderstack' in var('source_systems')) }}
{#- RudderStack's screens, one row per screen call of a mobile app, with the canonical event type, url, asset and campaign
    its row of seeds/source_event_mappings.csv gives. -#}
{%- set system, table = 'rudderstack', 'screens' -%}
{%- set mappings = leadscore.tracker_event_mappings(system, table) -%}
{%- set names = [leadscore.tracker_column(system, table, 'name')] %}
-- depends_on: {{ ref('source_event_mappings') }}
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
        {{ leadscore.tracker_event_type(mappings, names) }} as event_type,
        {{ leadscore.tracker_event_field(system, table, mappings, 'url_field', names) }} as url,
        {{ leadscore.tracker_event_field(system, table, mappings, 'asset_field', names) }} as asset,
        {{ leadscore.tracker_event_field(system, table, mappings, 'campaign_field', names) }} as campaign,
        {{ leadscore.tracker_properties(system, table) }} as properties,

        -- timestamps
        {{ leadscore.tracker_column(system, table, 'timestamp', dbt.type_timestamp()) }} as occurred_at,
        {{ leadscore.tracker_column(system, table, 'received_at', dbt.type_timestamp()) }} as received_at

    from source
)

select * from renamed
