{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'score_adjustments') }}
),

renamed as (
    select
        -- ids
        adjustment_id,
        contact_id,

        -- strings
        reason,
        nullif(trim(created_by), '') as created_by,

        -- numerics
        points,

        -- timestamps
        created_at,
        expires_at

    from source
)

select * from renamed
