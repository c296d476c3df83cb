{#- Every pair of identifiers seen together up to as_of, from every system selected in
    var('source_systems'): its identity edges (a CRM contact and its email, a tracker's anonymous id
    and user id, ...) and the pairs on its events' rows (docs/identity.md). One row per pair and
    source table; ids trimmed, emails, user ids and anonymous ids lower-cased (a CRM id is kept as
    the CRM wrote it: the sync writes it back). An edge first seen after as_of does not count yet.
    With raw alone (every event given with its contact) the events' pairs are not read. -#}
{%- set stitched = leadscore.identity_stitching_needed() %}
with

{% for system in var('source_systems') %}
    edges_from_{{ system }} as (
        select
            source_system,
            source_table,
            left_type,
            left_id,
            right_type,
            right_id,
            seen_at
        from {{ ref('stg_' ~ system ~ '__identity_edges') }}
    ),

    {% if stitched %}
events_from_{{ system }} as (
    select
        source_system,
        source_table,
        contact_id,
        email,
        user_id,
        anonymous_id,
        occurred_at
    from {{ ref('stg_' ~ system ~ '__events') }}
),
{% endif %}

{% endfor %}
identity_edges as (
    {% for system in var('source_systems') %}
        select * from edges_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

{% if stitched %}
events as (
    {% for system in var('source_systems') %}
    select * from events_from_{{ system }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

{%- set id_columns = ['contact_id', 'email', 'user_id', 'anonymous_id'] %}

event_pairs as (
    {%- for left in id_columns %}
    {%- for right in id_columns[loop.index:] %}
    select
        source_system,
        source_table,
        '{{ left | replace('_id', '') if left == 'contact_id' else left }}' as left_type,
        {{ left }} as left_id,
        '{{ right }}' as right_type,
        {{ right }} as right_id,
        occurred_at as seen_at
    from events
    where {{ left }} is not null and {{ right }} is not null
    {%- if not (loop.last and left == id_columns[-2]) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

{% endif %}
pairs as (
    select * from identity_edges
    {%- if stitched %}
    union all
    select * from event_pairs
    {%- endif %}
),

normalised as (
    select
        source_system,
        source_table,
        lower(trim(left_type)) as left_type,
        case when lower(trim(left_type)) = 'contact' then trim(left_id) else lower(trim(left_id)) end as left_id,
        lower(trim(right_type)) as right_type,
        case when lower(trim(right_type)) = 'contact' then trim(right_id) else lower(trim(right_id)) end as right_id,
        seen_at
    from pairs
    where seen_at <= {{ leadscore.as_of_timestamp() }}
),

final as (
    select
        source_system,
        source_table,
        left_type,
        left_id,
        right_type,
        right_id,
        min(seen_at) as seen_at
    from normalised
    where
        left_id is not null
        and right_id is not null
        and not (left_type = right_type and left_id = right_id)
    group by source_system, source_table, left_type, left_id, right_type, right_id
)

select * from final
