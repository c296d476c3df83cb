{#- A number in [0, 1) drawn from the hash of an expression: deterministic, portable, and the same
    for a row whatever other rows exist (a row_number over hashes would move when rows are added). -#}
{% macro hash_fraction(expr, digits=6) -%}
    {%- set hashed = dbt.hash(expr) -%}
    (
    {%- for place in range(1, digits + 1) %}
        ({{ dbt.position("substring(" ~ hashed ~ ", " ~ place ~ ", 1)", "'0123456789abcdef'") }} - 1)
        * {{ 16 ** (digits - place) }}{{ ' +' if not loop.last }}
    {%- endfor %}
    ) / {{ 16 ** digits }}.0
{%- endmacro %}
