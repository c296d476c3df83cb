{#- The connected components of the identity graph (docs/identity.md), by label propagation: every
    id starts as its own label and, round after round, takes the smallest label among its neighbours'
    and its own, until no label changes (the fixed point). Labels are ordered so that a component's
    label ends up being its earliest first-seen contact when it has one (contacts first, by first
    seen, then by key), so the label is the contact it resolves to. With the label travels linked_at:
    the earliest instant from which a chain of edges joined the id to that label (each chain counts
    from its latest edge).

    Each round reads the previous one once (a plain CTE per round, unrolled up to
    var identity_max_iterations; with raw alone, 3: macros/sources/identity_rounds.sql): DuckDB and Spark run the same SQL, and Spark's plan grows with the
    rounds, not faster. A recursive CTE was not used: Spark allows only UNION ALL and no aggregate or
    window over the recursive reference, so it would enumerate every walk of the graph instead of
    keeping one label per id. last_changed_round tells how many rounds the graph needed; when the
    last round still changed a label, identity_report says the fixed point was not reached and its
    data test fails the build. -#}
{%- set rounds = leadscore.identity_rounds() %}
with

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

edges as (
    select * from {{ ref('int_identity_edges') }}
),

graph_nodes as (
    select
        node_key,
        node_type,
        first_seen_at
    from nodes
    where not is_excluded
),

{# both directions of every edge, and every id with itself (it keeps its label unless a smaller one arrives) -#}
adjacency as (
    select
        left_key as node_key,
        right_key as neighbor_key,
        seen_at,
        false as is_self
    from edges
    union all
    select
        right_key as node_key,
        left_key as neighbor_key,
        seen_at,
        false as is_self
    from edges
    union all
    select
        node_key,
        node_key as neighbor_key,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as seen_at,
        true as is_self
    from graph_nodes
),

round_0 as (
    select
        node_key,
        case when node_type = 'contact' then 0 else 1 end as label_rank,
        case
            when node_type = 'contact' then first_seen_at
            else cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
        end as label_seen_at,
        node_key as label_key,
        first_seen_at as linked_at,
        0 as last_changed_round
    from graph_nodes
),

{% for round in range(1, rounds + 1) %}
    round_{{ round }} as (
        select
            node_key,
            label_rank,
            label_seen_at,
            label_key,
            linked_at,
            case
                when label_key <> previous_label_key or linked_at < previous_linked_at then {{ round }}
                else previous_changed_round
            end as last_changed_round
        from (
            select
                adjacency.node_key,
                previous.label_rank,
                previous.label_seen_at,
                previous.label_key,
                greatest(previous.linked_at, adjacency.seen_at) as linked_at,
                max(case when adjacency.is_self then previous.label_key end)
                    over (partition by adjacency.node_key) as previous_label_key,
                max(case when adjacency.is_self then previous.linked_at end)
                    over (partition by adjacency.node_key) as previous_linked_at,
                max(case when adjacency.is_self then previous.last_changed_round end)
                    over (partition by adjacency.node_key) as previous_changed_round,
                row_number() over (
                    partition by adjacency.node_key
                    order by
                        previous.label_rank, previous.label_seen_at, previous.label_key,
                        greatest(previous.linked_at, adjacency.seen_at)
                ) as candidate_rank
            from adjacency
            inner join round_{{ round - 1 }} as previous
                on adjacency.neighbor_key = previous.node_key
        ) as candidates
        where candidate_rank = 1
    ),

{% endfor %}
final as (
    select
        graph_nodes.node_key,
        graph_nodes.node_type,
        labelled.label_key as component_id,
        case when labelled.label_rank = 0 then labelled.label_key end as contact_key,
        case when labelled.label_rank = 0 then labelled.linked_at end as linked_at,
        labelled.last_changed_round,
        {{ rounds }} as max_rounds
    from graph_nodes
    inner join round_{{ rounds }} as labelled
        on graph_nodes.node_key = labelled.node_key
)

select * from final
