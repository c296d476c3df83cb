{#- Every fit rule of the champion grid (and of the challenger, when set) that applies to a contact,
    as in int_fit_rules_applied: the rule matches and no matching rule of its group has a lower
    priority. Fit reads the contact as loaded (raw contacts keep their latest version only). -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

champion_rules as (
    select * from {{ ref('stg_grid__fit_rules') }}
),

challenger_rules as (
    select * from {{ ref('stg_grid__challenger_fit_rules') }}
),

fit_rules as (
    select
        'champion' as grid_role,
        rule_id,
        rule_group,
        attribute,
        operator,
        value,
        points,
        priority,
        description
    from champion_rules
    union all
    select
        'challenger' as grid_role,
        rule_id,
        rule_group,
        attribute,
        operator,
        value,
        points,
        priority,
        description
    from challenger_rules
),

rules_evaluated as (
    select
        contacts.contact_id,
        fit_rules.grid_role,
        fit_rules.rule_id,
        fit_rules.rule_group,
        fit_rules.priority,
        fit_rules.operator,
        fit_rules.value as rule_value,
        fit_rules.points,
        fit_rules.description,
        {{ leadscore.contact_attribute('contacts', 'fit_rules.attribute') }} as attribute_value
    from contacts
    cross join fit_rules
),

rules_matched as (
    select
        *,
        row_number() over (
            partition by contact_id, grid_role, rule_group
            order by priority asc, rule_id asc
        ) as group_rank
    from rules_evaluated
    where {{ leadscore.rule_matches('attribute_value', 'operator', 'rule_value') }}
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'grid_role', "'|'", 'rule_id']) }} as contact_role_rule_id,
        contact_id,
        grid_role,
        rule_id,
        points,
        description
    from rules_matched
    where group_rank = 1
)

select * from final
