{#- The canonical contacts: the rows of every system selected in var('source_systems'), read from
    each adapter's stg_<system>__contacts (docs/sources.md). Downstream models read this model, never a
    system's staging models. -#}
with

{% for system in var('source_systems') %}
    contacts_from_{{ system }} as (
        select
            contact_id,
            account_id,
            email,
            first_name,
            last_name,
            job_title,
            company_name,
            industry,
            country,
            state,
            city,
            phone,
            lead_source,
            purchase_authority,
            purchase_timeline,
            custom_attributes,
            employee_count,
            annual_revenue,
            uses_competitor,
            has_marketing_consent,
            is_do_not_contact,
            created_at,
            updated_at
        from {{ ref('stg_' ~ system ~ '__contacts') }}
    ),

{% endfor %}
final as (
    {% for system in var('source_systems') %}
        select * from contacts_from_{{ system }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
