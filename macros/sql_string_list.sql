{#- A list var as SQL string literals: ['FR', 'BE'] -> 'FR', 'BE'. An empty list gives one null,
    so `x in (...)` stays valid SQL and matches nothing. -#}
{% macro sql_string_list(values, var_name) -%}
    {#- a list of the var's texts (not its other bounds: `values` may be derived from it, e.g. stages after one) -#}
    {%- set accepts = leadscore.var_rule(var_name, {}).get('accepts', 'a list') -%}
    {%- do leadscore.raise_var_problem(var_name, values, {'type': 'list', 'accepts': accepts}) -%}
    {%- if values | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- for value in values -%}
            '{{ dbt.escape_single_quotes(value | string) }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
