{#- Reading the tables of Fivetran's HubSpot connector (source 'hubspot', docs/sources/hubspot.md).
    Only `contact` is required: a connection syncs the objects the team chose (contacts and marketing
    email, say), so any other table the connector did not write reads as no rows, and a column it did
    not write as a typed null. The base models read every column through hubspot_column. -#}

{#- The source table, or an empty relation when the connector did not write it (contact: an error). -#}
{% macro hubspot_source(table_name) -%}
    {%- set relation = source('hubspot', table_name) -%}
    {%- if execute and leadscore.hubspot_relation(table_name) is none -%}
        {{ return('(select 1 as no_row where 1 = 0) as missing_' ~ table_name) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The table in the warehouse, or none when the connector did not write it; a missing contact table
    stops the build with one line. -#}
{% macro hubspot_relation(table_name) -%}
    {%- set relation = source('hubspot', table_name) -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none and table_name == 'contact' -%}
        {{ exceptions.raise_compiler_error(
            "source hubspot." ~ table_name ~ ": no table " ~ relation ~ " (vars hubspot_database, hubspot_schema"
            ~ " name where Fivetran's HubSpot connector writes; docs/sources/hubspot.md lists the tables read)"
        ) }}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- The lower-cased column names of a HubSpot connector table, read from the warehouse when the model
    is compiled: what Fivetran wrote decides which property columns become attributes, and a column
    the connection does not sync reads as null. Empty while dbt parses (nothing is queried then) and
    for an optional table the connector did not write. -#}
{% macro hubspot_source_columns(table_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set found = leadscore.hubspot_relation(table_name) -%}
    {%- if found is none -%}{{ return([]) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(found) -%}{%- do names.append(column.name | lower) -%}{%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The column when the table has it, else a typed null (a property the portal does not have, a table
    the connector did not write). -#}
{% macro hubspot_column(columns, name, data_type=none) -%}
    {%- if name | lower in columns -%}
        {#- a column named by a SQL keyword (contact_form_submission.timestamp) is quoted -#}
        {{ adapter.quote(name) if name | lower in ['timestamp'] else name }}
    {%- else -%}
        cast(null as {{ data_type or dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- A text property: trimmed, empty = null. -#}
{% macro hubspot_text(columns, name) -%}
    nullif(trim(cast({{ leadscore.hubspot_column(columns, name) }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
