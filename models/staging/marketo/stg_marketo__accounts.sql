{{ config(enabled='marketo' in var('source_systems')) }}
{#- Fivetran's Marketo schema has no account table (a CRM-synced instance keeps its accounts in
    the CRM): the model has the canonical columns and no row. -#}
with

final as (
    select
        -- ids
        cast(null as {{ dbt.type_string() }}) as account_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as account_name,
        cast(null as {{ dbt.type_string() }}) as domain,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as custom_attributes,

        -- numerics
        cast(null as {{ dbt.type_bigint() }}) as employee_count,
        cast(null as double) as annual_revenue,

        -- booleans
        cast(null as {{ dbt.type_boolean() }}) as is_target_account,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at,

        'marketo' as source_system
)

select * from final
where 1 = 0
