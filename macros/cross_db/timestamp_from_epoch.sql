{#- The UTC timestamp of a number of seconds since 1970-01-01 (the inverse of epoch_seconds). -#}
{% macro timestamp_from_epoch(seconds_expr) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch', 'leadscore')(seconds_expr)) }}
{%- endmacro %}

{% macro default__timestamp_from_epoch(seconds_expr) -%}
    make_timestamp(cast(round(({{ seconds_expr }}) * 1000000.0) as bigint))
{%- endmacro %}

{% macro spark__timestamp_from_epoch(seconds_expr) -%}
    timestamp_micros(cast(round(({{ seconds_expr }}) * 1000000.0) as bigint))
{%- endmacro %}
