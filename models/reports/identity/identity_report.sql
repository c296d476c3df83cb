{#- One row: how the identity graph resolved as of as_of (docs/identity.md). -#}
with

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

edges as (
    select * from {{ ref('int_identity_edges') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

unresolved_profiles as (
    select * from {{ ref('unresolved_profiles') }}
),

node_counts as (
    select
        count(case when not is_excluded then 1 end) as ids_in_graph,
        count(case when is_excluded then 1 end) as ids_excluded
    from nodes
),

edge_counts as (
    select count(*) as edges from edges
),

rounds as (
    select
        coalesce(max(last_changed_round), 0) as iterations,
        {#- the macro, not the components' column: an empty graph (contacts without emails) has no rows -#}
        {{ leadscore.identity_rounds() }} as max_iterations
    from components
),

component_summary as (
    select
        component_id,
        max(case when contact_id is not null then 1 else 0 end) as is_resolved,
        max(case when is_conflict then 1 else 0 end) as is_conflict,
        max(contacts_in_component) as contacts_in_component
    from resolved
    group by component_id
),

component_counts as (
    select
        count(*) as components,
        sum(is_resolved) as components_resolved,
        count(*) - sum(is_resolved) as components_unresolved,
        sum(is_conflict) as conflicts,
        sum(case when is_conflict = 1 then contacts_in_component else 0 end) as contacts_in_conflicts
    from component_summary
),

{# the tracker ids (email, user id, anonymous id) each resolved contact gathers -#}
ids_per_contact as (
    select
        contact_id,
        count(case when node_type <> 'contact' then 1 end) as linked_ids,
        count(case when node_type in ('user_id', 'anonymous_id') then 1 end) as tracker_ids
    from resolved
    where contact_id is not null
    group by contact_id
),

contact_counts as (
    select
        count(*) as contacts_resolved,
        count(case when tracker_ids > 0 then 1 end) as contacts_with_tracker_ids,
        avg(linked_ids) as ids_per_contact_avg,
        max(linked_ids) as ids_per_contact_max
    from ids_per_contact
),

profile_counts as (
    select
        count(*) as unresolved_profiles,
        coalesce(sum(event_count), 0) as unresolved_events
    from unresolved_profiles
),

final as (
    select
        {{ leadscore.as_of_timestamp() }} as as_of,
        node_counts.ids_in_graph,
        node_counts.ids_excluded,
        edge_counts.edges,
        component_counts.components,
        component_counts.components_resolved as profiles_resolved,
        component_counts.components_unresolved as profiles_unresolved_in_graph,
        profile_counts.unresolved_profiles,
        profile_counts.unresolved_events,
        contact_counts.contacts_resolved,
        contact_counts.contacts_with_tracker_ids,
        contact_counts.ids_per_contact_avg,
        contact_counts.ids_per_contact_max,
        component_counts.conflicts,
        component_counts.contacts_in_conflicts,
        rounds.iterations,
        rounds.max_iterations,
        rounds.iterations < rounds.max_iterations as is_fixed_point_reached
    from node_counts
    cross join edge_counts
    cross join component_counts
    cross join contact_counts
    cross join profile_counts
    cross join rounds
)

select * from final
