{#- The ids of the identity graph as of as_of: one row per (node_type, node_id) seen in an edge, when
    it was first seen, and whether seeds/identity_exclusions.csv excludes it (a placeholder such as
    'undefined', a shared test address): an excluded id links nothing. The exclusions are read when the
    model is compiled, each pattern a constant regex (macros/sources/identity_exclusion_rows.sql). -#}
-- depends_on: {{ ref('stg_reference__identity_exclusions') }}
with

edges_seen as (
    select * from {{ ref('int_identity_edges_seen') }}
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

nodes_checked as (
    select
        node_type,
        node_id,
        first_seen_at,
        {{ leadscore.identity_exclusion_reason('node_type', 'node_id') }} as exclusion_reason
    from nodes
),

final as (
    select
        {{ dbt.concat(['node_type', "':'", 'node_id']) }} as node_key,
        node_type,
        node_id,
        first_seen_at,
        exclusion_reason is not null as is_excluded,
        exclusion_reason
    from nodes_checked
)

select * from final
