{#- A SQL expression: the key of a scoring (a contact under a grid at an instant,
    int_scoring_instants), contact_id|purpose|grid_role. Each argument is a SQL expression. -#}
{% macro scoring_id(contact_id_expr, purpose_expr, grid_role_expr) -%}
    {{ dbt.concat([contact_id_expr, "'|'", purpose_expr, "'|'", grid_role_expr]) }}
{%- endmacro %}
