{#- Whether a value satisfies a grid rule's operator and value (SPEC 3.1). Text compares ignore
    case; between / gte / lte compare numbers; a null value matches only is_null. An unknown
    operator matches nothing (the seed's accepted_values test stops the build before that). -#}
{% macro rule_matches(value_expr, operator_expr, rule_value_expr) -%}
    case
        when {{ value_expr }} is null then {{ operator_expr }} = 'is_null'
        when {{ operator_expr }} = 'eq'
            then lower({{ value_expr }}) = lower({{ rule_value_expr }})
        when {{ operator_expr }} = 'in'
            then {{ dbt.position("'|' || lower(" ~ value_expr ~ ") || '|'", "'|' || lower(" ~ rule_value_expr ~ ") || '|'") }} > 0
        when {{ operator_expr }} = 'contains'
            then {{ dbt.position("lower(" ~ rule_value_expr ~ ")", "lower(" ~ value_expr ~ ")") }} > 0
        when {{ operator_expr }} = 'regex'
            then {{ leadscore.regex_matches(value_expr, rule_value_expr) }}
        when {{ operator_expr }} = 'between'
            then {{ leadscore.to_number(value_expr) }}
            between {{ leadscore.to_number(dbt.split_part(rule_value_expr, "'|'", 1)) }}
            and {{ leadscore.to_number(dbt.split_part(rule_value_expr, "'|'", 2)) }}
        when {{ operator_expr }} = 'gte'
            then {{ leadscore.to_number(value_expr) }} >= {{ leadscore.to_number(rule_value_expr) }}
        when {{ operator_expr }} = 'lte'
            then {{ leadscore.to_number(value_expr) }} <= {{ leadscore.to_number(rule_value_expr) }}
        when {{ operator_expr }} = 'not_null' then true
        when {{ operator_expr }} = 'is_true'
            then lower({{ value_expr }}) in ('true', 't', '1', 'yes', 'y')
        when {{ operator_expr }} = 'is_false'
            then lower({{ value_expr }}) in ('false', 'f', '0', 'no', 'n')
        else false
    end
{%- endmacro %}
