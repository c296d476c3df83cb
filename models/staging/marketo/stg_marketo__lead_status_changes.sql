{{ config(enabled='marketo' in var('source_systems')) }}
{#- Lead status changes are not read from Marketo yet (they sit in activity_change_data_value,
    docs/sources/marketo.md): the model has the canonical columns and no row. -#}
with

final as (
    select
        -- ids
        cast(null as {{ dbt.type_string() }}) as status_change_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as owner,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as changed_at,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at,

        'marketo' as source_system
)

select * from final
where 1 = 0
