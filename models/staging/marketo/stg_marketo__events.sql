-- depends_on: {{ ref('source_event_mappings') }}
{{ config(enabled='marketo' in var('source_systems')) }}
{# Marketo activities as events. Which activity table (and which form, email or page inside it,
    by primary_attribute_value) becomes which canonical event_type, and which of its columns fill url,
    asset and campaign, is read from seeds/source_event_mappings.csv when the model is compiled
    (macros/staging/marketo/marketo_event_mapping.sql): an activity no row maps is not an event.
    The activities of a merged lead go to the lead that survives it; those of a deleted lead (or of
    a lead merged into a deleted one) are dropped. #}
with

webpage_visits as (
    select * from {{ ref('base_marketo__activity_visit_webpage') }}
),

form_fills as (
    select * from {{ ref('base_marketo__activity_fill_out_form') }}
),

email_sends as (
    select * from {{ ref('base_marketo__activity_send_email') }}
),

email_deliveries as (
    select * from {{ ref('base_marketo__activity_email_delivered') }}
),

email_opens as (
    select * from {{ ref('base_marketo__activity_open_email') }}
),

email_clicks as (
    select * from {{ ref('base_marketo__activity_click_email') }}
),

email_unsubscribes as (
    select * from {{ ref('base_marketo__activity_unsubscribe_email') }}
),

email_bounces as (
    select * from {{ ref('base_marketo__activity_email_bounced') }}
),

lead_merges as (
    select * from {{ ref('stg_marketo__lead_merges') }}
),

lead_deletions as (
    select * from {{ ref('base_marketo__activity_delete_lead') }}
),

leads as (
    select * from {{ ref('base_marketo__lead') }}
),

mapped_activities as (
    select
        'activity_visit_webpage' as source_table,
        webpage_visits.activity_id,
        webpage_visits.lead_id,
        {{ leadscore.marketo_event_field('activity_visit_webpage', 'event_type', 'webpage_visits') }} as event_type,
        {{ leadscore.marketo_event_field('activity_visit_webpage', 'url', 'webpage_visits') }} as url,
        {{ leadscore.marketo_event_field('activity_visit_webpage', 'asset', 'webpage_visits') }} as asset,
        {{ leadscore.marketo_event_field('activity_visit_webpage', 'campaign', 'webpage_visits') }} as campaign,
        webpage_visits.activity_at,
        webpage_visits.synced_at
    from webpage_visits

    union all

    select
        'activity_fill_out_form' as source_table,
        form_fills.activity_id,
        form_fills.lead_id,
        {{ leadscore.marketo_event_field('activity_fill_out_form', 'event_type', 'form_fills') }} as event_type,
        {{ leadscore.marketo_event_field('activity_fill_out_form', 'url', 'form_fills') }} as url,
        {{ leadscore.marketo_event_field('activity_fill_out_form', 'asset', 'form_fills') }} as asset,
        {{ leadscore.marketo_event_field('activity_fill_out_form', 'campaign', 'form_fills') }} as campaign,
        form_fills.activity_at,
        form_fills.synced_at
    from form_fills

    union all

    select
        'activity_send_email' as source_table,
        email_sends.activity_id,
        email_sends.lead_id,
        {{ leadscore.marketo_event_field('activity_send_email', 'event_type', 'email_sends') }} as event_type,
        {{ leadscore.marketo_event_field('activity_send_email', 'url', 'email_sends') }} as url,
        {{ leadscore.marketo_event_field('activity_send_email', 'asset', 'email_sends') }} as asset,
        {{ leadscore.marketo_event_field('activity_send_email', 'campaign', 'email_sends') }} as campaign,
        email_sends.activity_at,
        email_sends.synced_at
    from email_sends

    union all

    select
        'activity_email_delivered' as source_table,
        email_deliveries.activity_id,
        email_deliveries.lead_id,
        {{ leadscore.marketo_event_field('activity_email_delivered', 'event_type', 'email_deliveries') }} as event_type,
        {{ leadscore.marketo_event_field('activity_email_delivered', 'url', 'email_deliveries') }} as url,
        {{ leadscore.marketo_event_field('activity_email_delivered', 'asset', 'email_deliveries') }} as asset,
        {{ leadscore.marketo_event_field('activity_email_delivered', 'campaign', 'email_deliveries') }} as campaign,
        email_deliveries.activity_at,
        email_deliveries.synced_at
    from email_deliveries

    union all

    select
        'activity_open_email' as source_table,
        email_opens.activity_id,
        email_opens.lead_id,
        {{ leadscore.marketo_event_field('activity_open_email', 'event_type', 'email_opens') }} as event_type,
        {{ leadscore.marketo_event_field('activity_open_email', 'url', 'email_opens') }} as url,
        {{ leadscore.marketo_event_field('activity_open_email', 'asset', 'email_opens') }} as asset,
        {{ leadscore.marketo_event_field('activity_open_email', 'campaign', 'email_opens') }} as campaign,
        email_opens.activity_at,
        email_opens.synced_at
    from email_opens

    union all

    select
        'activity_click_email' as source_table,
        email_clicks.activity_id,
        email_clicks.lead_id,
        {{ leadscore.marketo_event_field('activity_click_email', 'event_type', 'email_clicks') }} as event_type,
        {{ leadscore.marketo_event_field('activity_click_email', 'url', 'email_clicks') }} as url,
        {{ leadscore.marketo_event_field('activity_click_email', 'asset', 'email_clicks') }} as asset,
        {{ leadscore.marketo_event_field('activity_click_email', 'campaign', 'email_clicks') }} as campaign,
        email_clicks.activity_at,
        email_clicks.synced_at
    from email_clicks

    union all

    select
        'activity_unsubscribe_email' as source_table,
        email_unsubscribes.activity_id,
        email_unsubscribes.lead_id,
        {{ leadscore.marketo_event_field('activity_unsubscribe_email', 'event_type', 'email_unsubscribes') }} as event_type,
        {{ leadscore.marketo_event_field('activity_unsubscribe_email', 'url', 'email_unsubscribes') }} as url,
        {{ leadscore.marketo_event_field('activity_unsubscribe_email', 'asset', 'email_unsubscribes') }} as asset,
        {{ leadscore.marketo_event_field('activity_unsubscribe_email', 'campaign', 'email_unsubscribes') }} as campaign,
        email_unsubscribes.activity_at,
        email_unsubscribes.synced_at
    from email_unsubscribes

    union all

    select
        'activity_email_bounced' as source_table,
        email_bounces.activity_id,
        email_bounces.lead_id,
        {{ leadscore.marketo_event_field('activity_email_bounced', 'event_type', 'email_bounces') }} as event_type,
        {{ leadscore.marketo_event_field('activity_email_bounced', 'url', 'email_bounces') }} as url,
        {{ leadscore.marketo_event_field('activity_email_bounced', 'asset', 'email_bounces') }} as asset,
        {{ leadscore.marketo_event_field('activity_email_bounced', 'campaign', 'email_bounces') }} as campaign,
        email_bounces.activity_at,
        email_bounces.synced_at
    from email_bounces
),

deleted_lead_ids as (
    select distinct lead_id from lead_deletions
    union
    select lead_id from leads
    where is_fivetran_deleted
),

activities_of_survivors as (
    select
        mapped_activities.*,
        coalesce(lead_merges.survivor_lead_id, mapped_activities.lead_id) as contact_id
    from mapped_activities
    left join lead_merges
        on mapped_activities.lead_id = lead_merges.merged_lead_id
    where mapped_activities.event_type is not null
),

scored_activities as (
    select activities_of_survivors.*
    from activities_of_survivors
    left join deleted_lead_ids as deleted_leads
        on activities_of_survivors.lead_id = deleted_leads.lead_id
    left join deleted_lead_ids as deleted_survivors
        on activities_of_survivors.contact_id = deleted_survivors.lead_id
    where
        deleted_leads.lead_id is null
        and deleted_survivors.lead_id is null
),

final as (
    select
        -- ids
        {{ dbt.concat(["source_table", "':'", "activity_id"]) }} as event_id,
        contact_id,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,

        -- strings
        lower(trim(event_type)) as event_type,
        nullif(trim(url), '') as url,
        nullif(trim(asset), '') as asset,
        nullif(trim(campaign), '') as campaign,
        cast(null as {{ dbt.type_string() }}) as properties,

        -- timestamps
        activity_at as occurred_at,
        synced_at as loaded_at,

        'marketo' as source_system,
        source_table,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as user_id

    from scored_activities
)

select * from final
