{#- The canonical events: the rows of every system selected in var('source_systems'), read from each
    adapter's stg_<system>__events (docs/sources.md), each attached to its contact. A row that carries
    only an email, a user id or an anonymous id is attached through the identity layer (docs/identity.md);
    one that no contact can be found for stays out of the scores. -#}
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

final as (
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
        source_table
    from events_unioned
    where contact_id is not null
)

select * from final
