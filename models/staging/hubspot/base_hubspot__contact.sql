{{ config(enabled='hubspot' in var('source_systems')) }}
{#- One row per row of Fivetran's contact table. The property columns are read from the table when
    the model compiles: those of the contract (hubspot_contract_properties) are typed under the
    contract's names, every other property_* column goes into custom_attributes under its name
    without the prefix. #}
{%- set columns = leadscore.hubspot_source_columns('contact') -%}
{%- set property = leadscore.hubspot_contract_properties('contact') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('contact') }}
),

renamed as (
    select
        -- ids
        cast({{ leadscore.hubspot_column(columns, 'id') }} as {{ dbt.type_string() }}) as contact_id,
        cast({{ leadscore.hubspot_column(columns, property.account_id) }} as {{ dbt.type_string() }}) as account_id,

        -- strings
        lower({{ leadscore.hubspot_text(columns, property.email) }}) as email,
        {{ leadscore.hubspot_text(columns, property.first_name) }} as first_name,
        {{ leadscore.hubspot_text(columns, property.last_name) }} as last_name,
        {{ leadscore.hubspot_text(columns, property.job_title) }} as job_title,
        {{ leadscore.hubspot_text(columns, property.company_name) }} as company_name,
        {{ leadscore.hubspot_text(columns, property.industry) }} as industry,
        {{ leadscore.hubspot_text(columns, property.country) }} as country,
        {{ leadscore.hubspot_text(columns, property.state) }} as state,
        {{ leadscore.hubspot_text(columns, property.city) }} as city,
        {{ leadscore.hubspot_text(columns, property.phone) }} as phone,
        lower({{ leadscore.hubspot_text(columns, property.lead_source) }}) as lead_source,
        lower({{ leadscore.hubspot_text(columns, property.purchase_authority) }}) as purchase_authority,
        lower({{ leadscore.hubspot_text(columns, property.purchase_timeline) }}) as purchase_timeline,
        lower({{ leadscore.hubspot_text(columns, property.lead_status) }}) as lead_status,
        lower({{ leadscore.hubspot_text(columns, property.lifecycle_stage) }}) as lifecycle_stage,
        {# ';'-separated ids of the contacts merged into this one #}
        {{ leadscore.hubspot_text(columns, property.merged_object_ids) }} as merged_object_ids,
        {{ leadscore.hubspot_custom_attributes(columns, 'contact') }} as custom_attributes,

        -- numerics
        {# numemployees is an enumeration of ranges ("25-50", "1000+"): the lower bound; a bigint,
           as the raw contract's employee_count #}
        cast(coalesce(
            {{ leadscore.to_integer(leadscore.hubspot_text(columns, property.employee_count)) }},
            {{ leadscore.to_integer("replace(" ~ dbt.split_part(leadscore.hubspot_text(columns, property.employee_count), "'-'", 1) ~ ", '+', '')") }}
        ) as {{ dbt.type_bigint() }}) as employee_count,
        {{ leadscore.to_number(leadscore.hubspot_text(columns, property.annual_revenue)) }} as annual_revenue,

        -- booleans
        case lower({{ leadscore.hubspot_text(columns, property.uses_competitor) }})
            when 'true' then true when 'yes' then true when '1' then true
            when 'false' then false when 'no' then false when '0' then false
        end as uses_competitor,
        coalesce(cast({{ leadscore.hubspot_column(columns, '_fivetran_deleted', dbt.type_boolean()) }} as {{ dbt.type_boolean() }}), false)
            as is_deleted,

        -- timestamps
        {%- for stage, column in leadscore.hubspot_lifecycle_date_columns(columns) %}
            cast({{ column }} as {{ dbt.type_timestamp() }}) as became_{{ stage }}_at,
        {%- endfor %}
        cast({{ leadscore.hubspot_column(columns, property.created_at, dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as created_at,
        cast({{ leadscore.hubspot_column(columns, property.updated_at, dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as updated_at,
        cast({{ leadscore.hubspot_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
