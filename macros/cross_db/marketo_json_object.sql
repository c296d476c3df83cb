{#- A JSON object as text, from (key, expression) pairs: each value as text, null values left out,
    null when every value is null (the shape the raw loader writes into custom_attributes).
    Named for Marketo, its first user; a general json_object_text may replace it (issue 16). -#}
{% macro marketo_json_object(pairs) -%}
    {%- if not pairs -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return(adapter.dispatch('marketo_json_object', 'leadscore')(pairs)) }}
{%- endmacro %}

{% macro default__marketo_json_object(pairs) -%}
    nullif(cast(to_json(map_from_entries(list_filter([
        {%- for key, expr in pairs %}
        struct_pack(k := '{{ key }}', v := cast({{ expr }} as varchar)){{ ',' if not loop.last }}
        {%- endfor %}
    ], lambda entry: struct_extract(entry, 'v') is not null))) as varchar), '{}')
{%- endmacro %}

{% macro spark__marketo_json_object(pairs) -%}
    {#- to_json leaves null fields out (spark.sql.jsonGenerator.ignoreNullFields, true by default) -#}
    nullif(to_json(named_struct(
        {%- for key, expr in pairs %}
        '{{ key }}', cast({{ expr }} as string){{ ',' if not loop.last }}
        {%- endfor %}
    )), '{}')
{%- endmacro %}
