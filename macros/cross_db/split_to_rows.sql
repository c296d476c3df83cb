{#- One output row per element of a delimited string (a select-list expression: the row it is
    selected in is repeated once per element). Empty elements are kept; trim and filter them after.
    The delimiter is a literal character, not a pattern. -#}
{% macro split_to_rows(string_expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows', 'leadscore')(string_expr, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(string_expr, delimiter) -%}
    unnest(string_split({{ string_expr }}, '{{ delimiter }}'))
{%- endmacro %}

{% macro spark__split_to_rows(string_expr, delimiter) -%}
    explode(split({{ string_expr }}, '\\Q{{ delimiter }}\\E'))
{%- endmacro %}
