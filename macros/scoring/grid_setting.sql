{#- A SQL expression: a grid's setting (inactivity_days, inactivity_points) read from a row of
    seeds/scoring_grids, or the var of the same name when it is set (the var then applies to every
    grid, champion and challenger). -#}
{% macro grid_setting(column) -%}
    {%- set value = leadscore.number_var(column, allow_null=true) -%}
    {{ value if value is not none else leadscore.to_number(column) }}
{%- endmacro %}
