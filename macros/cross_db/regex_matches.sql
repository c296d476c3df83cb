{#- True when the pattern matches anywhere in the text, ignoring case. -#}
{% macro regex_matches(text_expr, pattern_expr) -%}
    {{ return(adapter.dispatch('regex_matches', 'leadscore')(text_expr, pattern_expr)) }}
{%- endmacro %}

{% macro default__regex_matches(text_expr, pattern_expr) -%}
    regexp_matches({{ text_expr }}, '(?i)' || {{ pattern_expr }})
{%- endmacro %}

{% macro spark__regex_matches(text_expr, pattern_expr) -%}
    ({{ text_expr }} rlike concat('(?i)', {{ pattern_expr }}))
{%- endmacro %}
