{#- True when a selected system emits events without their contact (an event tracker, a CRM's email
    events given by address): then events are resolved through the identity graph. The raw contract
    attaches every event to its contact at load time, so raw alone skips the graph's joins. -#}
{% macro identity_stitching_needed() -%}
    {{ return(var('source_systems') | reject('equalto', 'raw') | list | length > 0) }}
{%- endmacro %}
