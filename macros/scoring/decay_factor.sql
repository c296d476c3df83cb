{#- The weight of an event of a given age (days, fractional) under the var decay_method:
    exponential 0.5^(age/h), linear max(0, 1 - age/2h), window 1 while age <= 2h, none 1. A double
    whatever the method, so that a column of it has one type under every decay_method. -#}
{% macro decay_factor(age_days_expr, half_life_days_expr) -%}
    {{ return(adapter.dispatch('decay_factor', 'leadscore')(age_days_expr, half_life_days_expr)) }}
{%- endmacro %}

{% macro default__decay_factor(age_days_expr, half_life_days_expr) -%}
    {%- set method = leadscore.choice_var('decay_method') -%}
    {%- if method == 'exponential' -%}
        power(0.5, ({{ age_days_expr }}) / ({{ half_life_days_expr }}))
    {%- elif method == 'linear' -%}
        greatest(0.0, 1.0 - ({{ age_days_expr }}) / (2.0 * ({{ half_life_days_expr }})))
    {%- elif method == 'window' -%}
        cast(case when ({{ age_days_expr }}) <= 2.0 * ({{ half_life_days_expr }}) then 1.0 else 0.0 end as double)
    {%- else -%}
        cast(1.0 as double)
    {%- endif -%}
{%- endmacro %}
