{{ config(enabled='marketo' in var('source_systems')) }}
{#- Marketo's lead table as Fivetran writes it, one row per lead. The standard fields a contract
    column reads are renamed and typed; every other column of this instance's table (its custom
    fields, lead_status, lead_score, email_invalid, ...) goes into custom_attributes under its own
    name, discovered from the table when the model is compiled, so a fit rule can read it. -#}
{%- set mapped = [
    'id', 'email', 'first_name', 'last_name', 'title', 'company', 'industry', 'country', 'state', 'city',
    'phone', 'lead_source', 'number_of_employees', 'annual_revenue', 'unsubscribed', 'marketing_suspended',
    'created_at', 'updated_at',
] -%}
{%- set columns = leadscore.marketo_source_columns('lead', required=true) -%}

with

source as (
    select * from {{ source('marketo', 'lead') }}
),

renamed as (
    select
        -- ids
        {{ leadscore.marketo_column(columns, 'id', dbt.type_string()) }} as lead_id,

        -- strings
        {{ leadscore.marketo_column(columns, 'email', dbt.type_string()) }} as email,
        {{ leadscore.marketo_column(columns, 'first_name', dbt.type_string()) }} as first_name,
        {{ leadscore.marketo_column(columns, 'last_name', dbt.type_string()) }} as last_name,
        {{ leadscore.marketo_column(columns, 'title', dbt.type_string()) }} as title,
        {{ leadscore.marketo_column(columns, 'company', dbt.type_string()) }} as company,
        {{ leadscore.marketo_column(columns, 'industry', dbt.type_string()) }} as industry,
        {{ leadscore.marketo_column(columns, 'country', dbt.type_string()) }} as country,
        {{ leadscore.marketo_column(columns, 'state', dbt.type_string()) }} as state,
        {{ leadscore.marketo_column(columns, 'city', dbt.type_string()) }} as city,
        {{ leadscore.marketo_column(columns, 'phone', dbt.type_string()) }} as phone,
        {{ leadscore.marketo_column(columns, 'lead_source', dbt.type_string()) }} as lead_source,
        {{ leadscore.json_object_text(leadscore.marketo_attribute_pairs(columns, mapped)) }} as custom_attributes,

        -- numerics
        {{ leadscore.marketo_column(columns, 'number_of_employees', dbt.type_bigint()) }} as number_of_employees,
        {{ leadscore.marketo_column(columns, 'annual_revenue', 'double') }} as annual_revenue,

        -- booleans
        {{ leadscore.marketo_column(columns, 'unsubscribed', dbt.type_boolean()) }} as is_unsubscribed,
        {{ leadscore.marketo_column(columns, 'marketing_suspended', dbt.type_boolean()) }} as is_marketing_suspended,
        coalesce({{ leadscore.marketo_column(columns, '_fivetran_deleted', dbt.type_boolean()) }}, false)
            as is_fivetran_deleted,

        -- timestamps
        {{ leadscore.marketo_column(columns, 'created_at', dbt.type_timestamp()) }} as created_at,
        {{ leadscore.marketo_column(columns, 'updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ leadscore.marketo_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
