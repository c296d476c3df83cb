{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Form submissions, one row per row of Fivetran's contact_form_submission. #}
{%- set columns = leadscore.hubspot_source_columns('contact_form_submission') -%}

with

source as (
    select * from {{ leadscore.hubspot_source('contact_form_submission') }}
),

renamed as (
    select
        -- ids
        {{ dbt.hash(dbt.concat([
            "coalesce(cast(" ~ leadscore.hubspot_column(columns, 'contact_id') ~ " as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(cast(" ~ leadscore.hubspot_column(columns, 'form_id') ~ " as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(cast(" ~ leadscore.hubspot_column(columns, 'conversion_id') ~ " as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(cast(" ~ leadscore.hubspot_column(columns, 'timestamp') ~ " as " ~ dbt.type_string() ~ "), '')",
        ])) }} as form_submission_id,
        cast({{ leadscore.hubspot_column(columns, 'contact_id') }} as {{ dbt.type_string() }}) as contact_id,

        -- details (the connector's column names: seeds/source_event_mappings.csv names them)
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'form_id') }} as {{ dbt.type_string() }})), '') as form_id,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'conversion_id') }} as {{ dbt.type_string() }})), '') as conversion_id,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'page_id') }} as {{ dbt.type_string() }})), '') as page_id,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'page_url') }} as {{ dbt.type_string() }})), '') as page_url,
        nullif(trim(cast({{ leadscore.hubspot_column(columns, 'title') }} as {{ dbt.type_string() }})), '') as title,

        -- timestamps
        cast({{ leadscore.hubspot_column(columns, 'timestamp', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as submitted_at,
        cast({{ leadscore.hubspot_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as {{ dbt.type_timestamp() }}) as synced_at

    from source
)

select * from renamed
