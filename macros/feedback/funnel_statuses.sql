{#- Statuses of var funnel_stages from the one named by var `status_var` on (inclusive or not), as
    a list of lower-case strings: e.g. the stages after mql (accepted by sales), sql and later. -#}
{% macro funnel_statuses_from(status_var, inclusive=true) -%}
    {%- set stages = var('funnel_stages') | map('string') | map('trim') | map('lower') | list -%}
    {%- set status = var(status_var) | string | trim | lower -%}
    {%- if status not in stages -%}
        {{ exceptions.raise_compiler_error("var " ~ status_var ~ " must be one of funnel_stages (" ~ stages | join(', ') ~ "), got: " ~ var(status_var)) }}
    {%- endif -%}
    {%- set start = stages.index(status) + (0 if inclusive else 1) -%}
    {{ return(stages[start:]) }}
{%- endmacro %}
