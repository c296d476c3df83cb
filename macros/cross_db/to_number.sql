{#- A text value as a double (or integer), null when it is not one: never an error. dbt's own
    safe_cast is a plain cast on DuckDB, and dbt.type_float() is single precision there. -#}
{% macro to_number(expr) -%}
    {{ return(adapter.dispatch('to_number', 'leadscore')(expr)) }}
{%- endmacro %}

{% macro default__to_number(expr) -%}
    try_cast({{ expr }} as double)
{%- endmacro %}

{% macro to_integer(expr) -%}
    {{ return(adapter.dispatch('to_integer', 'leadscore')(expr)) }}
{%- endmacro %}

{% macro default__to_integer(expr) -%}
    try_cast({{ expr }} as {{ dbt.type_int() }})
{%- endmacro %}
