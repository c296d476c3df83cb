{#- Columns <value>_1 .. <value>_n of a ranked list, one row per group (use with group by). -#}
{% macro pivot_ranked(value_column, rank_column, count) -%}
    {%- for rank in range(1, count + 1) -%}
        max(case when {{ rank_column }} = {{ rank }} then {{ value_column }} end) as {{ value_column }}_{{ rank }}
        {{- ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The pivoted columns <prefix>_1 .. <prefix>_n joined by a separator, skipping nulls at the end. -#}
{% macro join_ranked(prefix, count, separator_literal) -%}
    {{ prefix }}_1
    {%- for rank in range(2, count + 1) %}
    || coalesce({{ separator_literal }} || {{ prefix }}_{{ rank }}, '')
    {%- endfor -%}
{%- endmacro %}
