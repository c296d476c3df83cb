{#- An expression kept within optional bounds (none = unbounded on that side). -#}
{% macro clamp(expr, lower_bound=none, upper_bound=none) -%}
    {%- set clamped = expr -%}
    {%- if lower_bound is not none -%}{%- set clamped = 'greatest(' ~ clamped ~ ', cast(' ~ lower_bound ~ ' as double))' -%}{%- endif -%}
    {%- if upper_bound is not none -%}{%- set clamped = 'least(' ~ clamped ~ ', cast(' ~ upper_bound ~ ' as double))' -%}{%- endif -%}
    {{ clamped }}
{%- endmacro %}
