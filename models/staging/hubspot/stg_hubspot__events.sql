{{ config(enabled='hubspot' in var('source_systems')) }}
{#- HubSpot activity as events, in the columns of stg_raw__events: each row of
    seeds/source_event_mappings.csv of system hubspot turns the rows of one connector table (of one
    type, when source_type is set) into events of its event_type, its url / asset / campaign read from
    the columns it names. Marketing email events (not filtered_event) go by their recipient's address
    to the one lead that owns it (stg_hubspot__email_recipients), or keep contact_id null with their
    email when no HubSpot contact has the address (the identity layer may know it); forms and
    engagements go by contact id to the contact's lead (a merged contact's to its survivor). Rows of
    deleted contacts, or of an address only deleted contacts hold, are not events. #}
{%- set email_tables = [
    'email_event_open', 'email_event_click', 'email_event_delivered', 'email_event_bounce',
    'email_event_spam_report', 'email_event_status_change',
] -%}
{%- set engagement_tables = ['engagement_meeting', 'engagement_call', 'engagement_email'] -%}
{#- the column each table's source_type is compared with (none: source_type stays empty) #}
{%- set type_columns = {
    'email_event_status_change': 'portal_subscription_status',
    'engagement_email': 'property_hs_email_direction',
} -%}
{%- set email_event_columns = ['recipient', 'email_campaign_id', 'sent_by_id', 'type'] -%}
{%- set source_tables = {} -%}
{%- for table in email_tables + engagement_tables + ['contact_form_submission'] -%}
    {%- set columns = leadscore.hubspot_model_columns(ref('base_hubspot__' ~ table)) -%}
    {%- do source_tables.update({table: {
        'type_column': type_columns.get(table),
        'columns': columns + (email_event_columns if table in email_tables else []),
    }}) -%}
{%- endfor -%}
{%- set mappings = leadscore.hubspot_event_mappings(source_tables) -%}

with

-- depends_on: {{ ref('source_event_mappings') }}
email_events as (
    select * from {{ ref('base_hubspot__email_event') }}
    where not is_filtered
),

engagement_contacts as (
    select distinct * from {{ ref('base_hubspot__engagement_contact') }}
),

form_submissions as (
    select * from {{ ref('base_hubspot__contact_form_submission') }}
),

contact_leads as (
    select * from {{ ref('stg_hubspot__contact_leads') }}
),

email_recipients as (
    select * from {{ ref('stg_hubspot__email_recipients') }}
),

{% for table in email_tables %}
    rows_of_{{ table }} as (
        select
            typed.*,
            email_events.recipient,
            email_events.email_campaign_id,
            email_events.sent_by_id,
            email_events.type,
            email_events.email_event_id as source_id,
            cast(null as {{ dbt.type_string() }}) as hubspot_contact_id,
            email_events.created_at as event_occurred_at,
            email_events.synced_at as event_loaded_at
        from {{ ref('base_hubspot__' ~ table) }} as typed
        inner join email_events
            on typed.email_event_id = email_events.email_event_id
    ),

{% endfor %}
{% for table in engagement_tables %}
    rows_of_{{ table }} as (
        select
            typed.*,
            typed.engagement_id as source_id,
            cast(null as {{ dbt.type_string() }}) as recipient,
            engagement_contacts.contact_id as hubspot_contact_id,
            typed.occurred_at as event_occurred_at,
            typed.synced_at as event_loaded_at
        from {{ ref('base_hubspot__' ~ table) }} as typed
        inner join engagement_contacts
            on typed.engagement_id = engagement_contacts.engagement_id
        where not typed.is_deleted
    ),

{% endfor %}
rows_of_contact_form_submission as (
    select
        form_submissions.*,
        form_submissions.form_submission_id as source_id,
        cast(null as {{ dbt.type_string() }}) as recipient,
        form_submissions.contact_id as hubspot_contact_id,
        form_submissions.submitted_at as event_occurred_at,
        form_submissions.synced_at as event_loaded_at
    from form_submissions
),

mapped as (
    {%- for mapping in mappings %}
        select
            '{{ mapping.source_table }}' as source_table,
            source_id,
            '{{ dbt.escape_single_quotes(mapping.event_type) }}' as event_type,
            {%- for field in ['url', 'asset', 'campaign'] %}
                {%- set column = mapping[field ~ '_field'] %}
                nullif(trim(cast({{ column or 'null' }} as {{ dbt.type_string() }})), '') as {{ field }},
            {%- endfor %}
            recipient,
            hubspot_contact_id,
            event_occurred_at as occurred_at,
            event_loaded_at as loaded_at
        from rows_of_{{ mapping.source_table }}
        {%- if mapping.source_type %}
            where lower(trim({{ source_tables[mapping.source_table].type_column }})) = '{{ dbt.escape_single_quotes(mapping.source_type) }}'
        {%- endif %}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- if not mappings %}
        {# no mapping row for hubspot: no events #}
        select
            cast(null as {{ dbt.type_string() }}) as source_table,
            cast(null as {{ dbt.type_string() }}) as source_id,
            cast(null as {{ dbt.type_string() }}) as event_type,
            cast(null as {{ dbt.type_string() }}) as url,
            cast(null as {{ dbt.type_string() }}) as asset,
            cast(null as {{ dbt.type_string() }}) as campaign,
            cast(null as {{ dbt.type_string() }}) as recipient,
            cast(null as {{ dbt.type_string() }}) as hubspot_contact_id,
            cast(null as {{ dbt.type_timestamp() }}) as occurred_at,
            cast(null as {{ dbt.type_timestamp() }}) as loaded_at
        where 1 = 0
    {%- endif %}
),

attached as (
    select
        mapped.*,
        case
            when mapped.hubspot_contact_id is not null then contact_leads.lead_contact_id
            else email_recipients.lead_contact_id
        end as contact_id,
        case
            when mapped.hubspot_contact_id is not null then contact_leads.lead_contact_id is not null
            when email_recipients.email is not null then email_recipients.lead_contact_id is not null
            else mapped.recipient is not null
        end as is_attachable
    from mapped
    left join contact_leads
        on mapped.hubspot_contact_id = contact_leads.contact_id
    left join email_recipients
        on mapped.recipient = email_recipients.email
),

identified as (
    select
        {{ dbt.hash(dbt.concat([
            "source_table", "'|'", "source_id", "'|'", "event_type", "'|'", "coalesce(contact_id, '')",
        ])) }} as event_id,
        attached.*
    from attached
    where attached.is_attachable
),

{# an engagement associated with a merged contact and its survivor is one event of the survivor #}
deduplicated as (
    select
        *,
        row_number() over (partition by event_id order by hubspot_contact_id) as duplicate_rank
    from identified
),

final as (
    select
        -- ids
        event_id,
        contact_id,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        cast(null as {{ dbt.type_string() }}) as user_id,

        -- strings
        event_type,
        url,
        asset,
        campaign,
        cast(null as {{ dbt.type_string() }}) as properties,
        recipient as email,
        'hubspot' as source_system,
        source_table,

        -- timestamps
        occurred_at,
        loaded_at

    from deduplicated
    where duplicate_rank = 1
)

select * from final
