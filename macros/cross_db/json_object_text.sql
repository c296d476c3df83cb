{#- A JSON object as text built from (key, expression) pairs, the way the raw loader writes
    custom_attributes: keys in sorted order, values as text, null values left out, and null when
    nothing is left (docs/loading.md). `pairs` is a list of [key, SQL expression]. -#}
{% macro json_object_text(pairs) -%}
    {{ return(adapter.dispatch('json_object_text', 'leadscore')(pairs | sort(attribute=0))) }}
{%- endmacro %}

{% macro default__json_object_text(pairs) -%}
    {%- if not pairs -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
    nullif(cast(to_json(map_from_entries(list_filter([
        {%- for key, expression in pairs %}
        struct_pack(k := '{{ dbt.escape_single_quotes(key) }}', v := cast({{ expression }} as {{ dbt.type_string() }})){{ ',' if not loop.last }}
        {%- endfor %}
    ], lambda json_entry: json_entry.v is not null))) as {{ dbt.type_string() }}), '{}')
    {%- endif -%}
{%- endmacro %}

{% macro spark__json_object_text(pairs) -%}
    {%- if not pairs -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
    nullif(to_json(map_filter(map(
        {%- for key, expression in pairs %}
        '{{ dbt.escape_single_quotes(key) }}', cast({{ expression }} as {{ dbt.type_string() }}){{ ',' if not loop.last }}
        {%- endfor %}
    ), (json_key, json_value) -> json_value is not null)), '{}')
    {%- endif -%}
{%- endmacro %}
