{#- Every fit rule that applies to a contact, under the champion grid (var scoring_grid) and, when
    var challenger_grid is set, under the challenger too: the rule matches and, inside its
    rule_group, no matching rule of the same grid has a lower priority (a rule without a group is a
    group of its own: staging gives it its rule_id as group, and the coalesce keeps that true for
    rows read as the seed writes them, such as the unit test fed the default grid's seed file).
    The score as of as_of reads the champion's rows; the backtest and champion_challenger read
    both. Fit reads the contact as loaded (raw contacts keep their latest version only). -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

fit_rules as (
    select * from {{ ref('int_fit_rules_by_grid') }}
),

rules_evaluated as (
    select
        contacts.contact_id,
        fit_rules.grid_role,
        fit_rules.rule_id,
        fit_rules.rule_group,
        fit_rules.priority,
        fit_rules.attribute,
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
            partition by contact_id, grid_role, coalesce(rule_group, rule_id)
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
        rule_group,
        attribute,
        attribute_value,
        points,
        description
    from rules_matched
    where group_rank = 1
)

select * from final
