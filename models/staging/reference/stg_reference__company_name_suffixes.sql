{# seeds/company_name_suffixes.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('company_name_suffixes') }}
),

final as (
    select
        suffix,
        description
    from source
)

select * from final
