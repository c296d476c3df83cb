{#- The canonical score adjustments (manual overrides by sales): loaded with `leadscore load` into the raw
    schema whatever CRM the contacts come from, so they are read when `raw` is among var('source_systems'). -#}
with

{% if 'raw' in var('source_systems') %}
    adjustments as (
        select
            adjustment_id,
            contact_id,
            reason,
            created_by,
            points,
            created_at,
            expires_at
        from {{ ref('stg_raw__score_adjustments') }}
    ),
{% else %}
adjustments as (
    select
        cast(null as {{ dbt.type_string() }}) as adjustment_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as created_by,
        cast(null as double) as points,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as expires_at
    where 1 = 0
),
{% endif %}

final as (
    select * from adjustments
)

select * from final
