{#- raw alone: a view over the loaded events (no copy). With a connector: a table, so that the
    identity resolution runs once, not once per model that reads the events. -#}
{{ config(materialized=('view' if var('source_systems') | list == ['raw'] else 'table')) }}
{#- The canonical events: the rows of every system selected in var('source_systems'), read from each
    adapter's stg_<system>__events (docs/sources.md), each attached to its contact. A row that carries
    only an email, a user id or an anonymous id is attached through the identity layer as of as_of
    (int_events_identified, docs/identity.md), events from before the identification included; one
    that no contact can be found for stays out of the scores (it is in unresolved_profiles). -#}
with

events_identified as (
    select * from {{ ref('int_events_identified') }}
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
    from events_identified
    where contact_id is not null
)

select * from final
