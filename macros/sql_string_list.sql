{#- A list var as SQL string literals: ['FR', 'BE'] -> 'FR', 'BE'. An empty list gives one null,
    so `x in (...)` stays valid SQL and matches nothing. -#}
{% macro sql_string_list(values, var_name) -%}
    {%- if values is string or values is not iterable -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must be a list, got: " ~ values) }}
    {%- endif -%}
    {%- if values | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- for value in values -%}
            '{{ dbt.escape_single_quotes(value | string) }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
