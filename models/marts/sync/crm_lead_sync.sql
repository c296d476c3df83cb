{#- CRM field names come from seeds/crm_field_mappings.csv, mapping var crm_field_mapping
    (macro crm_field_mapping); contact_id, row_hash and updated_at keep their names. -#}
-- depends_on: {{ ref('stg_reference__crm_field_mappings') }}
{%- set mapped_columns = leadscore.crm_field_mapping(leadscore.crm_sync_columns(), leadscore.crm_sync_reserved_columns()) %}

with

hashed as (
    select * from {{ ref('crm_lead_sync_content') }}
),

versions as (
    select * from {{ ref('crm_lead_sync_versions') }}
),

latest_versions as (
    select
        contact_id,
        max(updated_at) as updated_at
    from versions
    group by contact_id
),

consented as (
    select * from hashed
    where is_sync_allowed
),

final as (
    select
        consented.contact_id,
        {%- for source_column, crm_field in mapped_columns %}
            consented.{{ source_column }}{{ ' as ' ~ leadscore.crm_field_alias(crm_field) if crm_field != source_column }},
        {%- endfor %}
        consented.row_hash,
        latest_versions.updated_at
    from consented
    inner join latest_versions
        on consented.contact_id = latest_versions.contact_id
)

select * from final
