{#- The canonical lead status changes: the rows of every system selected in var('source_systems'), read from
    each adapter's stg_<system>__lead_status_changes (docs/sources.md). Downstream models read this model, never a
    system's staging models. -#}
with

{% for system in var('source_systems') %}
    lead_status_changes_from_{{ system }} as (
        select
            status_change_id,
            contact_id,
            status,
            reason,
            owner,
            changed_at,
            loaded_at
        from {{ ref('stg_' ~ system ~ '__lead_status_changes') }}
    ),

{% endfor %}
final as (
    {% for system in var('source_systems') %}
        select * from lead_status_changes_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
