{#- The non-null values of a group joined by a delimiter, in the order of an expression (null
    when there are none). dbt.listagg ignores its order on Spark; explanations must be stable. -#}
{% macro ordered_string_agg(value_expr, delimiter_literal, order_expr) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'leadscore')(value_expr, delimiter_literal, order_expr)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(value_expr, delimiter_literal, order_expr) -%}
    string_agg({{ value_expr }}, {{ delimiter_literal }} order by {{ order_expr }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value_expr, delimiter_literal, order_expr) -%}
    nullif(array_join(transform(
        array_sort(collect_list(struct({{ order_expr }} as sort_key, {{ value_expr }} as item_value))),
        entry -> entry.item_value
    ), {{ delimiter_literal }}), '')
{%- endmacro %}
