{{ config(enabled='marketo' in var('source_systems')) }}
{#- Marketo keeps no opportunities (they live in the CRM it syncs with): the model has the
    canonical columns and no row. -#}
with

final as (
    select
        -- ids
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as stage,

        -- numerics
        cast(null as double) as amount,

        -- booleans
        cast(null as {{ dbt.type_boolean() }}) as is_closed,
        cast(null as {{ dbt.type_boolean() }}) as is_won,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as closed_at,

        'marketo' as source_system
)

select * from final
where 1 = 0
