{#- Every account fit rule (seeds/account_fit_rules, the columns and operators of fit_rules) that
    applies to an account: the rule matches and, inside its rule_group, no matching rule has a
    lower priority (a rule without a group is a group of its own). -#}
with

accounts as (
    select * from {{ ref('int_accounts_enriched') }}
),

account_fit_rules as (
    select * from {{ ref('stg_grid__account_fit_rules') }}
),

rules as (
    select
        trim(rule_id) as rule_id,
        coalesce(nullif(trim(rule_group), ''), trim(rule_id)) as rule_group,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        value as rule_value,
        {{ leadscore.to_number('points') }} as points,
        coalesce({{ leadscore.to_integer('priority') }}, 0) as priority,
        description
    from account_fit_rules
),

rules_evaluated as (
    select
        accounts.account_id,
        rules.rule_id,
        rules.rule_group,
        rules.priority,
        rules.attribute,
        rules.operator,
        rules.rule_value,
        rules.points,
        rules.description,
        {{ leadscore.account_attribute('accounts', 'rules.attribute') }} as attribute_value
    from accounts
    cross join rules
),

rules_matched as (
    select
        *,
        row_number() over (
            partition by account_id, rule_group
            order by priority asc, rule_id asc
        ) as group_rank
    from rules_evaluated
    where {{ leadscore.rule_matches('attribute_value', 'operator', 'rule_value') }}
),

final as (
    select
        {{ dbt.concat(['account_id', "'|'", 'rule_id']) }} as account_rule_id,
        account_id,
        rule_id,
        rule_group,
        attribute,
        attribute_value,
        points,
        description
    from rules_matched
    where group_rank = 1
)

select * from final
