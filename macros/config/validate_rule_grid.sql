{#- The checks of the point grids (fit_rules, engagement_rules, account_fit_rules), run by the seeds'
    post-hook validate_seed (macros/config/validate_seed.sql). -#}
{% macro rule_operators() -%}
    {{ return(['eq', 'in', 'contains', 'regex', 'between', 'gte', 'lte', 'is_null', 'not_null', 'is_true', 'is_false']) }}
{%- endmacro %}

{#- `when ... then '<problem>'` branches shared by both grids, for a rule whose operator applies. -#}
{% macro operator_problems(applies='true') -%}
    {%- set operators = leadscore.rule_operators() -%}
    when ({{ applies }}) and (normalised_operator is null or normalised_operator not in ('{{ operators | join("', '") }}'))
        then 'unknown operator ''' || coalesce(operator, '') || ''' (expected one of {{ operators | join(", ") }})'
    when ({{ applies }}) and normalised_operator in ('eq', 'in', 'contains', 'regex', 'between', 'gte', 'lte')
        and (value is null or trim(value) = '')
        then 'operator ' || normalised_operator || ' needs a value'
    when ({{ applies }}) and normalised_operator = 'between' and (
        {{ leadscore.to_number(dbt.split_part('value', "'|'", 1)) }} is null
        or {{ dbt.position("'|'", 'value') }} = 0
        or {{ leadscore.to_number(dbt.split_part('value', "'|'", 2)) }} is null
    )
        then 'between needs two numeric bounds low|high, got ''' || value || ''''
    when ({{ applies }}) and normalised_operator in ('gte', 'lte') and {{ leadscore.to_number('value') }} is null
        then normalised_operator || ' needs a number, got ''' || value || ''''
    when ({{ applies }}) and normalised_operator = 'regex' and not {{ leadscore.regex_compiles('value') }}
        then 'regex ''' || value || ''' does not compile'
{%- endmacro %}

{% macro fit_rule_problems() -%}
    when rule_id is null or trim(rule_id) = '' then 'rule_id is empty'
    when copies > 1 then 'rule_id appears ' || cast(copies as {{ dbt.type_string() }}) || ' times'
    when attribute is null or trim(attribute) = '' then 'attribute is empty'
    when {{ leadscore.to_number('points') }} is null
        then 'points ''' || coalesce(points, '') || ''' is not a number'
    when priority is not null and {{ leadscore.to_integer('priority') }} is null
        then 'priority ''' || priority || ''' is not an integer'
    {{ leadscore.operator_problems() }}
    when description is null or trim(description) = '' then 'description is empty (it explains the score)'
{%- endmacro %}

{% macro engagement_rule_problems() -%}
    when rule_id is null or trim(rule_id) = '' then 'rule_id is empty'
    when copies > 1 then 'rule_id appears ' || cast(copies as {{ dbt.type_string() }}) || ' times'
    when event_type is null or trim(event_type) = '' then 'event_type is empty'
    when {{ leadscore.to_number('points') }} is null
        then 'points ''' || coalesce(points, '') || ''' is not a number'
    when max_points is not null and not coalesce({{ leadscore.to_number('max_points') }} >= 0, false)
        then 'max_points ''' || max_points || ''' is not a number >= 0'
    when half_life_days is not null and not coalesce({{ leadscore.to_number('half_life_days') }} > 0, false)
        then 'half_life_days ''' || half_life_days || ''' is not a number > 0'
    when category is null or lower(trim(category)) not in ('active', 'passive', 'negative')
        then 'category ''' || coalesce(category, '') || ''' is not active, passive or negative'
    when match_field is not null and lower(trim(match_field)) not in ('url', 'asset', 'campaign')
        and lower(trim(match_field)) not like 'properties.%'
        then 'match_field ''' || match_field || ''' is not url, asset, campaign or properties.<key>'
    {{ leadscore.operator_problems('match_field is not null') }}
    when description is null or trim(description) = '' then 'description is empty (it explains the score)'
{%- endmacro %}
