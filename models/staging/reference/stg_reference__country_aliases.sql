{# seeds/country_aliases.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('country_aliases') }}
),

final as (
    select
        alias,
        country_code
    from source
)

select * from final
