{#- The state behind crm_lead_sync.updated_at, kept across builds: one row per version of a
    contact's content (its hash) and when that version appeared. An incremental build appends only
    new contacts and contacts whose hash changed (stamped with the build's start); an unchanged
    contact gets no row, so its latest updated_at does not move. Append, not merge: it is the one
    incremental strategy DuckDB and Spark (without Delta) share. --full-refresh restarts it. -#}
{{ config(materialized='incremental', incremental_strategy='append') }}

with

hashed as (
    select * from {{ ref('crm_lead_sync_content') }}
),

{% if is_incremental() %}
versions_ranked as (
    select
        contact_id,
        row_hash,
        row_number() over (partition by contact_id order by updated_at desc) as version_rank
    from {{ this }}
),

previous as (
    select
        contact_id,
        row_hash
    from versions_ranked
    where version_rank = 1
),
{% endif %}

changed as (
    select
        {{ dbt.concat(['hashed.contact_id', "'|'", "'" ~ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") ~ "'"]) }}
            as version_id,
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
