{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'events') }}
),

renamed as (
    select
        -- ids
        event_id,
        contact_id,
        nullif(trim(anonymous_id), '') as anonymous_id,

        -- strings
        lower(trim(event_type)) as event_type,
        nullif(trim(url), '') as url,
        nullif(trim(asset), '') as asset,
        nullif(trim(campaign), '') as campaign,
        nullif(trim(properties), '') as properties,

        -- timestamps
        occurred_at,
        _loaded_at as loaded_at,

        -- identities (the loader resolves an event's email to its contact_id: none left to stitch)
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as user_id,

        -- lineage
        'raw' as source_system,
        'events' as source_table

    from source
)

select * from renamed
