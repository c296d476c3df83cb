{#- True when a pattern is a valid regular expression (used to check grids before scoring). -#}
{% macro regex_compiles(pattern_expr) -%}
    {{ return(adapter.dispatch('regex_compiles', 'leadscore')(pattern_expr)) }}
{%- endmacro %}

{% macro default__regex_compiles(pattern_expr) -%}
    (try(regexp_matches('', '(?i)' || {{ pattern_expr }})) is not null)
{%- endmacro %}

{#- Spark has no error-free way to compile a pattern in SQL: an invalid one fails the first
    model that uses it, with Spark's own message. -#}
{% macro spark__regex_compiles(pattern_expr) -%}
    true
{%- endmacro %}
