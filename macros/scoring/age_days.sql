{#- The age, in fractional days, of something that happened at occurred_epoch, seen from
    as_of_epoch (both seconds since 1970, leadscore.epoch_seconds). Decay and the inactivity
    penalty weigh events by it; mql_events evaluates it at other instants than as_of. -#}
{% macro age_days(as_of_epoch_expr, occurred_epoch_expr) -%}
    (({{ as_of_epoch_expr }}) - ({{ occurred_epoch_expr }})) / 86400.0
{%- endmacro %}
