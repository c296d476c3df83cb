{# seeds/crm_field_mappings.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('crm_field_mappings') }}
),

final as (
    select
        mapping,
        source_column,
        crm_field,
        description
    from source
)

select * from final
