{#- The canonical opportunities: the rows of every system selected in var('source_systems'), read from
    each adapter's stg_<system>__opportunities (docs/sources.md). Downstream models read this model, never a
    system's staging models. -#}
with

{% for system in var('source_systems') %}
    opportunities_from_{{ system }} as (
        select
            opportunity_id,
            account_id,
            contact_id,
            stage,
            amount,
            is_closed,
            is_won,
            created_at,
            closed_at
        from {{ ref('stg_' ~ system ~ '__opportunities') }}
    ),

{% endfor %}
final as (
    {% for system in var('source_systems') %}
        select * from opportunities_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
