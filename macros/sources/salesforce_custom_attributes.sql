{#- Salesforce custom fields: the columns of a connector table whose name ends in `_c` (Fivetran writes
    `Budget__c` as `budget_c`; a table written with the API's names keeps `__c`), found in the table itself
    when the model is compiled, so a field a team adds is an attribute without a code change. -#}
{% macro salesforce_custom_fields(table) -%}
    {%- set fields = [] -%}
    {%- for name in leadscore.tracker_column_names('salesforce', table) -%}
        {%- if modules.re.match('^.*[a-z0-9]__?c$', name) -%}
            {%- do fields.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(fields | sort) }}
{%- endmacro %}

{#- The JSON object (as text, like the raw loader's custom_attributes) of the custom fields of a
    connector table, each under its lower-cased name, its value as text (null kept as null, on Spark too).
    `{}` when there are none (and when the connection did not write the table). -#}
{% macro salesforce_custom_attributes(table) -%}
    {%- set fields = leadscore.salesforce_custom_fields(table) -%}
    {%- if not fields -%}
        '{}'
    {%- else -%}
        {{ return(adapter.dispatch('salesforce_custom_attributes', 'leadscore')(fields)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__salesforce_custom_attributes(fields) -%}
    cast(json_object(
        {%- for field in fields %}
        '{{ field | lower }}', cast({{ adapter.quote(field) }} as {{ dbt.type_string() }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__salesforce_custom_attributes(fields) -%}
    to_json(named_struct(
        {%- for field in fields %}
        '{{ field | lower }}', cast({{ adapter.quote(field) }} as {{ dbt.type_string() }}){{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
