{#- The state behind crm_lead_sync.updated_at, kept across builds: one row per contact with the hash
    of its content and when that hash last changed. An incremental build emits only new contacts and
    contacts whose hash changed (stamped with the build's start), and merges them on contact_id; an
    unchanged contact keeps its row, so its updated_at does not move. --full-refresh restarts it. -#}
{{ config(materialized='incremental', unique_key='contact_id', incremental_strategy='merge') }}

with

hashed as (
    select * from {{ ref('int_crm_leads_hashed') }}
),

{% if is_incremental() %}
previous as (
    select * from {{ this }}
),
{% endif %}

changed as (
    select
        hashed.contact_id,
        hashed.row_hash,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}) as updated_at
    from hashed
    {% if is_incremental() %}
        left join previous
            on hashed.contact_id = previous.contact_id
    where previous.contact_id is null or previous.row_hash <> hashed.row_hash
    {% endif %}
),

final as (
    select * from changed
)

select * from final
