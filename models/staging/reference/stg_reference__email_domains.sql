{# seeds/email_domains.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('email_domains') }}
),

final as (
    select
        domain,
        domain_type
    from source
)

select * from final
