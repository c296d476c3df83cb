{#- A JSON object as text from (key, text expression) pairs, keys given as literals; null values are
    left out on Spark and written as null on DuckDB (json_text_value reads both as null). No pair: null.
    HubSpot's own name: the segment adapter's json_object_text may replace it when both land. -#}
{% macro hubspot_json_object(pairs) -%}
    {%- if not pairs -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return(adapter.dispatch('hubspot_json_object', 'leadscore')(pairs)) }}
{%- endmacro %}

{% macro default__hubspot_json_object(pairs) -%}
    cast(json_object(
        {%- for key, expr in pairs %}
        '{{ key }}', {{ expr }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__hubspot_json_object(pairs) -%}
    to_json(named_struct(
        {%- for key, expr in pairs %}
        '{{ key }}', {{ expr }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
