{#- An expression kept within optional bounds (none = unbounded on that side). -#}
{% macro clamp(expr, lower_bound=none, upper_bound=none) -%}
    {%- set clamped = expr -%}
    {%- if lower_bound is not none -%}{%- set clamped = 'greatest(' ~ clamped ~ ', ' ~ lower_bound ~ ')' -%}{%- endif -%}
    {%- if upper_bound is not none -%}{%- set clamped = 'least(' ~ clamped ~ ', ' ~ upper_bound ~ ')' -%}{%- endif -%}
    {{ clamped }}
{%- endmacro %}
