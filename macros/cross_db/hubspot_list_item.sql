{#- The item at a 1-based position (an expression) of a ';'-separated list; dbt.split_part wants a
    literal position on Spark. -#}
{% macro hubspot_list_item(list_expr, position_expr) -%}
    {{ return(adapter.dispatch('hubspot_list_item', 'leadscore')(list_expr, position_expr)) }}
{%- endmacro %}

{% macro default__hubspot_list_item(list_expr, position_expr) -%}
    split_part({{ list_expr }}, ';', {{ position_expr }})
{%- endmacro %}

{% macro spark__hubspot_list_item(list_expr, position_expr) -%}
    element_at(split({{ list_expr }}, ';'), {{ position_expr }})
{%- endmacro %}
