{#- The edges of the identity graph as of as_of: one row per pair of ids seen together, neither of
    them excluded, first seen at the earliest row of any system that held both (docs/identity.md). -#}
with

edges_seen as (
    select * from {{ ref('int_identity_edges_seen') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

keyed as (
    select
        {{ dbt.concat(['left_type', "':'", 'left_id']) }} as left_key,
        {{ dbt.concat(['right_type', "':'", 'right_id']) }} as right_key,
        seen_at
    from edges_seen
),

{# one direction per pair: the smaller key on the left -#}
ordered as (
    select
        case when left_key < right_key then left_key else right_key end as left_key,
        case when left_key < right_key then right_key else left_key end as right_key,
        seen_at
    from keyed
),

kept as (
    select
        ordered.left_key,
        ordered.right_key,
        ordered.seen_at
    from ordered
    inner join nodes as left_nodes
        on
            ordered.left_key = left_nodes.node_key
            and not left_nodes.is_excluded
    inner join nodes as right_nodes
        on
            ordered.right_key = right_nodes.node_key
            and not right_nodes.is_excluded
),

final as (
    select
        left_key,
        right_key,
        min(seen_at) as seen_at
    from kept
    group by left_key, right_key
)

select * from final
