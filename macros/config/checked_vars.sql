{#- Vars checked against their rules (var_rules.sql, the one place a var's domain is written): a value
    outside its rule stops dbt with `var NAME must be <what it accepts>, got: VALUE` instead of producing
    wrong SQL or failing a data test that names no var. check_vars, the project's on-run-start hook,
    checks every var while dbt parses the project, before any model runs; number_var, choice_var
    and bool_var check the var they read (a unit test's own vars too) and return its value. -#}
{% macro check_vars() -%}
    {%- set rules = leadscore.var_rules() -%}
    {%- for name, rule in rules.items() -%}
        {%- do leadscore.raise_var_problem(name, var(name, none), rule) -%}
    {%- endfor -%}
    {%- for name, rule in rules.items() -%}
        {%- set value = var(name, none) -%}
        {%- set bound = rule.get('at_most') -%}
        {%- if bound and value is not none and var(bound, none) is not none
            and (value | string | trim | float) > (var(bound) | string | trim | float) -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " must be <= " ~ bound ~ " (" ~ leadscore.shown_var_value(var(bound)) ~ "), got: "
                ~ leadscore.shown_var_value(value)
            ) }}
        {%- endif -%}
        {%- set members = rule.get('one_of') -%}
        {%- if members and value is not none -%}
            {%- set allowed = var(members, []) | map('string') | map('trim') | map('lower') | list -%}
            {%- if (value | string | trim | lower) not in allowed -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ name ~ " must be one of " ~ members ~ " (" ~ allowed | join(', ') ~ "), got: "
                    ~ leadscore.shown_var_value(value)
                ) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{#- The rule of a var; a var without one (a team's own) is checked as the caller says. -#}
{% macro var_rule(name, fallback) -%}
    {{ return(leadscore.var_rules().get(name) or fallback) }}
{%- endmacro %}

{#- A value as the message shows it: a text as it is, unless empty or padded (then quoted). -#}
{% macro shown_var_value(value) -%}
    {%- if value is string -%}
        {{ return(value if value != '' and value | trim == value else "'" ~ value ~ "'") }}
    {%- endif -%}
    {{ return('null' if value is none else (value | string | lower if value is boolean else value | string)) }}
{%- endmacro %}

{% macro raise_var_problem(name, value, rule) -%}
    {%- if not leadscore.var_value_fits(value, rule) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be " ~ rule.get('accepts', rule.get('type')) ~ ", got: " ~ leadscore.shown_var_value(value)
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- Whether a value fits a rule of var_rules.sql, its type and bounds (the checks between two vars
    are check_vars'; whether a grid or a seed value exists is checked by leadscore before dbt starts,
    and by dbt when it resolves the grid's seeds or reads crm_field_mappings). -#}
{% macro var_value_fits(value, rule) -%}
    {%- set kind = rule.get('type', 'text') -%}
    {%- if value is none -%}{{ return(rule.get('nullable', false)) }}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if kind in ['number', 'integer'] -%}
        {%- if value is boolean or not (value is number or modules.re.match('^-?[0-9]+([.][0-9]+)?$', text)) -%}
            {{ return(false) }}
        {%- endif -%}
        {%- set number = text | float -%}
        {{ return(not (
            (kind == 'integer' and number != (number | int))
            or ('min' in rule and number < rule['min'])
            or ('above' in rule and number <= rule['above'])
            or ('max' in rule and number > rule['max'])
            or ('below' in rule and number >= rule['below'])
        )) }}
    {%- elif kind == 'boolean' -%}
        {{ return(value is boolean or text | lower in ['true', 'yes', '1', 'on', 'false', 'no', '0', 'off']) }}
    {%- elif kind == 'choice' -%}
        {{ return(text | lower in rule.get('choices', [])) }}
    {%- elif kind == 'list' -%}
        {%- if value is string or value is mapping or value is not iterable -%}{{ return(false) }}{%- endif -%}
        {%- for item in value -%}
            {%- if not (item is string or (item is number and item is not boolean)) -%}{{ return(false) }}{%- endif -%}
            {%- if rule.get('choices') and item not in rule.get('choices') -%}{{ return(false) }}{%- endif -%}
        {%- endfor -%}
        {{ return(not (rule.get('nonempty') and value | length == 0)) }}
    {%- elif kind == 'date' -%}
        {{ return(modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', text) is not none) }}
    {%- elif kind == 'instant' -%}
        {%- set iso = text.replace('Z', '+00:00').replace('z', '+00:00').replace(' ', 'T') -%}
        {{ return(modules.re.match(
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?([+-][0-9]{2}:[0-9]{2})?$', iso
        ) is not none) }}
    {%- elif kind == 'grid' -%}
        {{ return(modules.re.match('^[a-z0-9_]+$', text | lower) is not none) }}
    {%- else -%}
        {#- text, seed_value -#}
        {{ return(value is string and text != '') }}
    {%- endif -%}
{%- endmacro %}

{% macro number_var(name, allow_null=false) -%}
    {%- set fallback = {'type': 'number', 'nullable': allow_null, 'accepts': 'a number' ~ (', or null' if allow_null else '')} -%}
    {%- set value = var(name, none) -%}
    {%- do leadscore.raise_var_problem(name, value, leadscore.var_rule(name, fallback)) -%}
    {{ return(none if value is none else value | string | trim | float) }}
{%- endmacro %}

{#- `choices` for a var without a rule; a var of var_rules.sql takes its choices from there. -#}
{% macro choice_var(name, choices=[]) -%}
    {%- set fallback = {'type': 'choice', 'choices': choices, 'accepts': 'one of ' ~ choices | join(', ')} -%}
    {%- set value = var(name, none) -%}
    {%- do leadscore.raise_var_problem(name, value, leadscore.var_rule(name, fallback)) -%}
    {{ return(value | string | trim | lower) }}
{%- endmacro %}

{% macro bool_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- do leadscore.raise_var_problem(name, value, leadscore.var_rule(name, {'type': 'boolean', 'accepts': 'true or false'})) -%}
    {{ return(value if value is boolean else (value | string | trim | lower) in ['true', 'yes', '1', 'on']) }}
{%- endmacro %}

{#- A Jinja boolean as a SQL literal. -#}
{% macro sql_boolean(value) -%}
    {{ return('true' if value else 'false') }}
{%- endmacro %}
