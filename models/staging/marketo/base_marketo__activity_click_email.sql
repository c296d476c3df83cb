{{ config(enabled='marketo' in var('source_systems')) }}
{#- activity_click_email as Fivetran writes it, one row per activity: ids as text (lead ids are
    Marketo's integers), the activity's own columns under their connector names (the names
    seeds/source_event_mappings.csv gives as url_field, asset_field, campaign_field), a column this
    instance does not sync as a typed null, the table when the connection did not write it as no rows. -#}
{%- set columns = leadscore.marketo_source_columns('activity_click_email') -%}

with

source as (
    select * from {{ leadscore.tracker_source('marketo', 'activity_click_email') }}
),

renamed as (
    select
        -- ids
        {{ leadscore.marketo_column(columns, 'id', dbt.type_string()) }} as activity_id,
        {{ leadscore.marketo_column(columns, 'lead_id', dbt.type_string()) }} as lead_id,
        {{ leadscore.marketo_column(columns, 'activity_type_id', dbt.type_bigint()) }} as activity_type_id,
        {{ leadscore.marketo_column(columns, 'campaign_id', dbt.type_bigint()) }} as campaign_id,
        {{ leadscore.marketo_column(columns, 'primary_attribute_value_id', dbt.type_bigint()) }} as primary_attribute_value_id,
        {{ leadscore.marketo_column(columns, 'email_template_id', dbt.type_bigint()) }} as email_template_id,
        {{ leadscore.marketo_column(columns, 'campaign_run_id', dbt.type_bigint()) }} as campaign_run_id,

        -- strings
        {{ leadscore.marketo_column(columns, 'primary_attribute_value', dbt.type_string()) }} as primary_attribute_value,
        {{ leadscore.marketo_column(columns, 'link', dbt.type_string()) }} as link,
        {{ leadscore.marketo_column(columns, 'link_id', dbt.type_string()) }} as link_id,
        {{ leadscore.marketo_column(columns, 'device', dbt.type_string()) }} as device,
        {{ leadscore.marketo_column(columns, 'platform', dbt.type_string()) }} as platform,
        {{ leadscore.marketo_column(columns, 'user_agent', dbt.type_string()) }} as user_agent,

        -- booleans
        {{ leadscore.marketo_column(columns, 'is_mobile_device', dbt.type_boolean()) }} as is_mobile_device,

        -- timestamps
        {{ leadscore.marketo_column(columns, 'activity_date', dbt.type_timestamp()) }} as activity_at,
        {{ leadscore.marketo_column(columns, '_fivetran_synced', dbt.type_timestamp()) }} as synced_at

    from source
)

select * from renamed
