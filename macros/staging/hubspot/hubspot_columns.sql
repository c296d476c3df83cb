{#- The lower-cased column names of a HubSpot connector table (source 'hubspot'), read from the
    warehouse when the model is compiled: what Fivetran wrote decides which property columns become
    attributes, and an optional column the connection does not sync reads as null. Empty while dbt
    parses (nothing is queried then). -#}
{% macro hubspot_source_columns(table_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set relation = source('hubspot', table_name) -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ exceptions.raise_compiler_error(
            "source hubspot." ~ table_name ~ ": no table " ~ relation ~ " (vars hubspot_database, hubspot_schema"
            ~ " name where Fivetran's HubSpot connector writes; docs/sources/hubspot.md lists the tables read)"
        ) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(found) -%}{%- do names.append(column.name | lower) -%}{%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The column when the table has it, else a typed null (a property the portal does not have). -#}
{% macro hubspot_column(columns, name, data_type=none) -%}
    {%- if name | lower in columns -%}
        {{ name }}
    {%- else -%}
        cast(null as {{ data_type or dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- A text property: trimmed, empty = null. -#}
{% macro hubspot_text(columns, name) -%}
    nullif(trim(cast({{ leadscore.hubspot_column(columns, name) }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
