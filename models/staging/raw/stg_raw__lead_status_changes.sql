{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'lead_status_changes') }}
),

renamed as (
    select
        -- ids
        {{ dbt.hash(dbt.concat(["contact_id", "'|'", "cast(changed_at as " ~ dbt.type_string() ~ ")", "'|'", "lower(trim(status))"])) }}
            as status_change_id,
        contact_id,

        -- strings
        lower(trim(status)) as status,
        nullif(trim(reason), '') as reason,
        nullif(trim(owner), '') as owner,

        -- timestamps
        changed_at,
        _loaded_at as loaded_at

    from source
)

select * from renamed
