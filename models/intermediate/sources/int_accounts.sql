{#- The canonical accounts: the rows of every system selected in var('source_systems'), read from
    each adapter's stg_<system>__accounts (docs/sources.md). Downstream models read this model, never a
    system's staging models. -#}
with

{% for system in var('source_systems') %}
    accounts_from_{{ system }} as (
        select
            account_id,
            account_name,
            domain,
            industry,
            country,
            account_type,
            custom_attributes,
            employee_count,
            annual_revenue,
            is_target_account,
            created_at,
            updated_at
        from {{ ref('stg_' ~ system ~ '__accounts') }}
    ),

{% endfor %}
final as (
    {% for system in var('source_systems') %}
        select * from accounts_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
