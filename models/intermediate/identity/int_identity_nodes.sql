{#- The ids of the identity graph as of as_of: one row per (node_type, node_id) seen in an edge, when
    it was first seen, and whether seeds/identity_exclusions.csv excludes it (a placeholder such as
    'undefined', a shared test address): an excluded id links nothing. -#}
with

edges_seen as (
    select * from {{ ref('int_identity_edges_seen') }}
),

exclusions as (
    select
        nullif(lower(trim(node_type)), '') as node_type,
        value_pattern,
        reason
    from {{ ref('stg_reference__identity_exclusions') }}
),

sides as (
    select
        left_type as node_type,
        left_id as node_id,
        seen_at
    from edges_seen
    union all
    select
        right_type as node_type,
        right_id as node_id,
        seen_at
    from edges_seen
),

nodes as (
    select
        node_type,
        node_id,
        min(seen_at) as first_seen_at
    from sides
    group by node_type, node_id
),

exclusions_matched as (
    select
        nodes.node_type,
        nodes.node_id,
        min(exclusions.reason) as exclusion_reason
    from nodes
    inner join exclusions
        on
            (exclusions.node_type is null or nodes.node_type = exclusions.node_type)
            and {{ leadscore.regex_matches('nodes.node_id', "'^(?:' || exclusions.value_pattern || ')$'") }}
    group by nodes.node_type, nodes.node_id
),

final as (
    select
        {{ dbt.concat(['nodes.node_type', "':'", 'nodes.node_id']) }} as node_key,
        nodes.node_type,
        nodes.node_id,
        nodes.first_seen_at,
        exclusions_matched.exclusion_reason is not null as is_excluded,
        exclusions_matched.exclusion_reason
    from nodes
    left join exclusions_matched
        on
            nodes.node_type = exclusions_matched.node_type
            and nodes.node_id = exclusions_matched.node_id
)

select * from final
