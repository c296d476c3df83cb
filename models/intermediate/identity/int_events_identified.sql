{{ config(materialized='view') }}
{#- The events of every system selected in var('source_systems'), each with the contact it belongs to
    as of as_of: its own contact_id when the system gave one, else the contact its email, user id or
    anonymous id resolves to in the identity graph (int_identity_resolved), and the profile
    (component) it belongs to. An event from before the identification counts for the contact once
    the link is seen (as of the build). When every selected system gives each event its contact
    (raw alone), the identity graph is not joined at all. int_events keeps the rows with a live
    contact; unresolved_profiles the others. -#}
{%- set stitched = leadscore.identity_stitching_needed() %}
with

{% for system in var('source_systems') %}
    events_from_{{ system }} as (
        select
            event_id,
            contact_id,
            anonymous_id,
            event_type,
            url,
            asset,
            campaign,
            properties,
            occurred_at,
            loaded_at,
            source_system,
            source_table,
            email,
            user_id
        from {{ ref('stg_' ~ system ~ '__events') }}
    ),

{% endfor %}
events_unioned as (
    {% for system in var('source_systems') %}
        select * from events_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

{% if stitched %}
resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

identified as (
    select
        events_unioned.event_id,
        coalesce(
            events_unioned.contact_id, by_email.contact_id, by_user_id.contact_id, by_anonymous_id.contact_id
        ) as contact_id,
        events_unioned.anonymous_id,
        events_unioned.event_type,
        events_unioned.url,
        events_unioned.asset,
        events_unioned.campaign,
        events_unioned.properties,
        events_unioned.occurred_at,
        events_unioned.loaded_at,
        events_unioned.source_system,
        events_unioned.source_table,
        events_unioned.email,
        events_unioned.user_id,
        case
            when events_unioned.contact_id is not null then 'source'
            when by_email.contact_id is not null then 'email'
            when by_user_id.contact_id is not null then 'user_id'
            when by_anonymous_id.contact_id is not null then 'anonymous_id'
        end as contact_resolved_by,
        coalesce(
            by_anonymous_id.component_id, by_user_id.component_id, by_email.component_id,
            {{ dbt.concat(["'anonymous_id:'", 'lower(events_unioned.anonymous_id)']) }},
            {{ dbt.concat(["'user_id:'", 'lower(events_unioned.user_id)']) }},
            {{ dbt.concat(["'email:'", 'events_unioned.email']) }}
        ) as profile_id
    from events_unioned
    left join resolved as by_email
        on by_email.node_type = 'email'
        and events_unioned.email = by_email.node_id
    left join resolved as by_user_id
        on by_user_id.node_type = 'user_id'
        and lower(events_unioned.user_id) = by_user_id.node_id
    left join resolved as by_anonymous_id
        on by_anonymous_id.node_type = 'anonymous_id'
        and lower(events_unioned.anonymous_id) = by_anonymous_id.node_id
),
{% else %}
    identified as (
        select
            *,
            'source' as contact_resolved_by,
            cast(null as {{ dbt.type_string() }}) as profile_id
        from events_unioned
    ),
{% endif %}

final as (
    select * from identified
)

select * from final
