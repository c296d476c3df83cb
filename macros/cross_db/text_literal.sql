{#- A text as a SQL string literal that reads back as the same text on every engine (a regex from a
    seed keeps its backslashes). -#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'leadscore')(value | string)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- Spark reads a backslash in a literal as an escape ('a\.b' is a.b): doubled, and the quote escaped -#}
{% macro spark__text_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
