{# seeds/account_fit_rules.csv as the models read it; its post-hook has validated it #}
with

source as (
    select * from {{ ref('account_fit_rules') }}
),

final as (
    select
        rule_id,
        rule_group,
        attribute,
        operator,
        value,
        points,
        priority,
        description
    from source
)

select * from final
