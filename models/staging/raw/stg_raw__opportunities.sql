{{ config(enabled='raw' in var('source_systems')) }}

with

source as (
    select * from {{ source('raw', 'opportunities') }}
),

renamed as (
    select
        -- ids
        opportunity_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(contact_id), '') as contact_id,

        -- strings
        nullif(lower(trim(stage)), '') as stage,

        -- numerics
        amount,

        -- booleans
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,

        -- timestamps
        created_at,
        closed_at

    from source
)

select * from renamed
