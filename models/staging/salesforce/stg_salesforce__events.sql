{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Behavioural events of Salesforce, typed by seeds/source_event_mappings.csv (system salesforce):
    campaign responses (campaign_member rows with has_responded, at first_responded_date), completed tasks
    (calls, emails, ... by task_subtype, then type) and calendar events (by type). A record no mapping row
    types is not an event; deleted records and those of no live contact (stg_salesforce__record_contacts)
    are left out. Each is attributed to the live contact its lead or contact record belongs to. -#}
-- depends_on: {{ ref('source_event_mappings') }}
with

campaign_members as (
    select * from {{ ref('base_salesforce__campaign_member') }}
),

campaigns as (
    select * from {{ ref('base_salesforce__campaign') }}
),

tasks as (
    select * from {{ ref('base_salesforce__task') }}
),

calendar_events as (
    select * from {{ ref('base_salesforce__event') }}
),

record_contacts as (
    select * from {{ ref('stg_salesforce__record_contacts') }}
),

campaign_responses as (
    select
        campaign_members.campaign_member_id as event_id,
        coalesce(
            campaign_members.contact_record_id, campaign_members.lead_id, campaign_members.lead_or_contact_id
        ) as record_id,
        campaign_members.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaign_members.member_status,
        coalesce(campaign_members.first_responded_at, campaign_members.created_at) as occurred_at,
        campaign_members.synced_at
    from campaign_members
    left join campaigns on campaign_members.campaign_id = campaigns.campaign_id
    where
        campaign_members.has_responded
        and not campaign_members.is_deleted
),

campaign_response_events as (
    select
        event_id,
        record_id,
        {{ leadscore.salesforce_event_mapping('campaign_member', 'event_type', ['campaign_type', 'member_status']) }}
            as event_type,
        {%- for output in ['url_field', 'asset_field', 'campaign_field'] %}
        {{ leadscore.salesforce_event_mapping(
            'campaign_member', output, ['campaign_type', 'member_status'],
            ['campaign_id', 'campaign_name', 'campaign_type', 'member_status']
        ) }} as {{ output | replace('_field', '') }},
        {%- endfor %}
        occurred_at,
        synced_at,
        'campaign_member' as source_table
    from campaign_responses
),

completed_tasks as (
    select * from tasks
    where is_closed and not is_deleted
),

task_events as (
    select
        task_id as event_id,
        who_id as record_id,
        {{ leadscore.salesforce_event_mapping('task', 'event_type', ['task_subtype', 'task_type']) }} as event_type,
        {%- for output in ['url_field', 'asset_field', 'campaign_field'] %}
        {{ leadscore.salesforce_event_mapping(
            'task', output, ['task_subtype', 'task_type'],
            ['subject', 'task_type', 'task_subtype', 'status', 'what_id']
        ) }} as {{ output | replace('_field', '') }},
        {%- endfor %}
        coalesce(activity_date, created_at) as occurred_at,
        synced_at,
        'task' as source_table
    from completed_tasks
),

calendar_event_events as (
    select
        event_record_id as event_id,
        who_id as record_id,
        {{ leadscore.salesforce_event_mapping('event', 'event_type', ['event_subtype', 'event_record_type']) }}
            as event_type,
        {%- for output in ['url_field', 'asset_field', 'campaign_field'] %}
        {{ leadscore.salesforce_event_mapping(
            'event', output, ['event_subtype', 'event_record_type'],
            ['subject', 'event_record_type', 'event_subtype', 'what_id']
        ) }} as {{ output | replace('_field', '') }},
        {%- endfor %}
        coalesce(started_at, created_at) as occurred_at,
        synced_at,
        'event' as source_table
    from calendar_events
    where not is_deleted
),

mapped_events as (
    select * from campaign_response_events
    union all
    select * from task_events
    union all
    select * from calendar_event_events
),

final as (
    select
        -- ids
        mapped_events.event_id,
        record_contacts.contact_id,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,

        -- strings
        lower(trim(mapped_events.event_type)) as event_type,
        nullif(trim(mapped_events.url), '') as url,
        nullif(trim(mapped_events.asset), '') as asset,
        nullif(trim(mapped_events.campaign), '') as campaign,
        cast(null as {{ dbt.type_string() }}) as properties,

        -- timestamps
        mapped_events.occurred_at,
        mapped_events.synced_at as loaded_at,

        -- lineage
        'salesforce' as source_system,
        mapped_events.source_table,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as user_id

    from mapped_events
    inner join record_contacts on mapped_events.record_id = record_contacts.record_id
    where
        mapped_events.event_type is not null
        and mapped_events.occurred_at is not null
)

select * from final
