{#- The systems whose connector tables an adapter of models/staging/<system>/ reads (var source_systems
    also takes raw, the loader's contract). The same list as SYSTEM_TABLES in scripts/leadscore/load_source.py
    (`leadscore load --source`), which also names each system's tables. -#}
{% macro connector_systems() -%}
    {{ return(['hubspot', 'salesforce', 'marketo', 'segment', 'rudderstack']) }}
{%- endmacro %}
