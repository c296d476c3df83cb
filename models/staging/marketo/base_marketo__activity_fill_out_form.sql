{{ config(enabled='marketo' in var('source_systems')) }}
{#- activity_fill_out_form as Fivetran writes it, one row per activity: ids as text (lead ids are
    Marketo's integers), the activity's own columns under their connector names (the names
    seeds/source_event_mappings.csv gives as url_field, asset_field, campaign_field), a column this
    instance does not sync as a typed null, the table when the connection did not write it as no rows. -#}
{%- set columns = leadscore.marketo_source_columns('activity_fill_out_form') -%}

with

source as (
    select * from {{ leadscore.tracker_source('marketo', 'activity_fill_out_form') }}
),

renamed as (
    select
        -- ids
        {{ leadscore.marketo_column(columns, 'id', dbt.type_string()) }} as activity_id,
        {{ leadscore.marketo_column(columns, 'lead_id', dbt.type_string()) }} as lead_id,
        {{ leadscore.marketo_column(columns, 'activity_type_id', dbt.type_bigint()) }} as activity_type_id,
        {{ leadscore.marketo_column(columns, 'campaign_id', dbt.type_bigint()) }} as campaign_id,
        {{ leadscore.marketo_column(columns, 'primary_attribute_value_id', dbt.type_bigint()) }} as primary_attribute_value_id,
        {{ leadscore.marketo_column(columns, 'webpage_id', dbt.type_bigint()) }} as webpage_id,
        {{ leadscore.marketo_column(columns, 'webform_id', dbt.type_bigint()) }} as webform_id,

        -- strings
        {{ leadscore.marketo_column(columns, 'primary_attribute_value', dbt.type_string()) }} as primary_attribute_value,
        {{ leadscore.marketo_column(columns, 'form_fields', dbt.type_string()) }} as form_fields,
        {{ leadscore.marketo_column(columns, 'referrer_url', dbt.type_string()) }} as referrer_url,
        {{ leadscore.marketo_column(columns, 'query_parameters', dbt.type_string()) }} as query_parameters,
        {{ leadscore.marketo_column(columns, 'client_ip_address', dbt.type_string()) }} as client_ip_address,
        {{ leadscore.marketo_column(columns, 'user_agent', dbt.type_string()) }} as user_agent,

        -- timestamps
        {{ leadscore.marketo_column(columns, 'activity_date', dbt.type_timestamp()) }} as activity_at,
        {{ leadscore.marketo_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
