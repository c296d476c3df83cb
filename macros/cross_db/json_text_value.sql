{#- The text value of a top-level key of a JSON object held as text (null when absent). -#}
{% macro json_text_value(json_expr, key_expr) -%}
    {{ return(adapter.dispatch('json_text_value', 'leadscore')(json_expr, key_expr)) }}
{%- endmacro %}

{% macro default__json_text_value(json_expr, key_expr) -%}
    json_extract_string({{ json_expr }}, '$."' || {{ key_expr }} || '"')
{%- endmacro %}

{% macro spark__json_text_value(json_expr, key_expr) -%}
    get_json_object({{ json_expr }}, concat('$.', {{ key_expr }}))
{%- endmacro %}
