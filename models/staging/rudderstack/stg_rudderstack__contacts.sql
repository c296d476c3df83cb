{{ config(enabled='rudderstack' in var('source_systems')) }}
{#- A tracker holds no CRM leads: RudderStack adds no contact (its calls reach the contacts of the CRM
    through the identity layer). Typed like every system's contacts, with no rows. -#}
select
    -- ids
    cast(null as {{ dbt.type_string() }}) as contact_id,
    cast(null as {{ dbt.type_string() }}) as account_id,

    -- strings
    cast(null as {{ dbt.type_string() }}) as email,
    cast(null as {{ dbt.type_string() }}) as first_name,
    cast(null as {{ dbt.type_string() }}) as last_name,
    cast(null as {{ dbt.type_string() }}) as job_title,
    cast(null as {{ dbt.type_string() }}) as company_name,
    cast(null as {{ dbt.type_string() }}) as industry,
    cast(null as {{ dbt.type_string() }}) as country,
    cast(null as {{ dbt.type_string() }}) as state,
    cast(null as {{ dbt.type_string() }}) as city,
    cast(null as {{ dbt.type_string() }}) as phone,
    cast(null as {{ dbt.type_string() }}) as lead_source,
    cast(null as {{ dbt.type_string() }}) as purchase_authority,
    cast(null as {{ dbt.type_string() }}) as purchase_timeline,
    cast(null as {{ dbt.type_string() }}) as custom_attributes,

    -- numerics
    cast(null as {{ dbt.type_bigint() }}) as employee_count,
    cast(null as double) as annual_revenue,

    -- booleans
    cast(null as boolean) as uses_competitor,
    cast(null as boolean) as has_marketing_consent,
    cast(null as boolean) as is_do_not_contact,

    -- timestamps
    cast(null as {{ dbt.type_timestamp() }}) as created_at,
    cast(null as {{ dbt.type_timestamp() }}) as updated_at,

    -- lineage
    'rudderstack' as source_system

where 1 = 0
