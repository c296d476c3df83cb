{#- Every id of the identity graph as of as_of with its component and the contact it resolves to:
    the component's earliest first-seen contact (int_identity_components). A component holding
    several contacts is a conflict: its other ids go to that earliest contact, each contact keeps
    its own id (two CRM leads are not merged here), and identity_report counts it. An id of a
    component without a contact is unresolved (contact_id null): its events wait for a link. -#}
with

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

component_contacts as (
    select
        component_id,
        count(case when node_type = 'contact' then 1 end) as contacts_in_component
    from components
    group by component_id
),

final as (
    select
        -- ids
        nodes.node_type,
        nodes.node_id,
        components.component_id,
        case
            when nodes.node_type = 'contact' then nodes.node_id
            else resolved_contacts.node_id
        end as contact_id,

        -- numerics
        component_contacts.contacts_in_component,

        -- booleans
        component_contacts.contacts_in_component > 1 as is_conflict,

        -- timestamps
        nodes.first_seen_at,
        case
            when nodes.node_type = 'contact' then nodes.first_seen_at
            else components.linked_at
        end as linked_at

    from components
    inner join nodes
        on components.node_key = nodes.node_key
    inner join component_contacts
        on components.component_id = component_contacts.component_id
    left join nodes as resolved_contacts
        on components.contact_key = resolved_contacts.node_key
)

select * from final
