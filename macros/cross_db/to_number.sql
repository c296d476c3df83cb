{#- A text value as a double, null when it is not a number (never an error). -#}
{% macro to_number(expr) -%}
    {{ dbt.safe_cast(expr, dbt.type_float()) }}
{%- endmacro %}
