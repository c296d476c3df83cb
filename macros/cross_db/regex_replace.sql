{#- Every match of a regular expression in a text replaced (case-sensitive; lower the text first
    to ignore case). -#}
{% macro regex_replace(text_expr, pattern_expr, replacement_expr) -%}
    {{ return(adapter.dispatch('regex_replace', 'leadscore')(text_expr, pattern_expr, replacement_expr)) }}
{%- endmacro %}

{% macro default__regex_replace(text_expr, pattern_expr, replacement_expr) -%}
    regexp_replace({{ text_expr }}, {{ pattern_expr }}, {{ replacement_expr }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace(text_expr, pattern_expr, replacement_expr) -%}
    regexp_replace({{ text_expr }}, {{ pattern_expr }}, {{ replacement_expr }})
{%- endmacro %}
