{#- A text value as a double, null when it is not a number (never an error). DuckDB's `float`
    (what dbt.type_float gives) is single precision, too coarse for scores and epochs. -#}
{% macro to_number(expr) -%}
    {{ dbt.safe_cast(expr, 'double') }}
{%- endmacro %}
