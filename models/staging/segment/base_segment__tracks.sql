{{ config(enabled='segment' in var('source_systems')) }}
{#- Segment's tracks, one row per track call. Its event type is the row of seeds/source_event_mappings.csv
    for its name (event_text as sent, or event, the slug Segment made of it), else the name itself in
    snake case ("Webinar Registered" -> webinar_registered). -#}
{%- set system, table = 'segment', 'tracks' -%}
{%- set mappings = leadscore.tracker_event_mappings(system, table) -%}
{%- set names = [leadscore.tracker_column(system, table, 'event_text'), leadscore.tracker_column(system, table, 'event')] -%}
{%- set own_name = leadscore.regex_replace(leadscore.regex_replace(
    'lower(trim(coalesce(' ~ names | join(', ') ~ ')))', "'[^a-z0-9]+'", "'_'"), "'^_|_$'", "''") %}
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
        {{ leadscore.tracker_event_type(mappings, names, fallback="nullif(" ~ own_name ~ ", '')") }} as event_type,
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
