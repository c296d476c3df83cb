{#- Seconds since 1970-01-01 of a timestamp, as a double: decay needs fractional days. -#}
{% macro epoch_seconds(timestamp_expr) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'leadscore')(timestamp_expr)) }}
{%- endmacro %}

{% macro default__epoch_seconds(timestamp_expr) -%}
    cast(epoch({{ timestamp_expr }}) as double)
{%- endmacro %}

{% macro spark__epoch_seconds(timestamp_expr) -%}
    cast(unix_micros({{ timestamp_expr }}) as double) / 1000000.0
{%- endmacro %}
