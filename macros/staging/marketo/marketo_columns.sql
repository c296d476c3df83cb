{#- The column names of a built relation (a base model), lower-cased, read from the warehouse when the
    model is compiled. Empty while dbt parses. -#}
{% macro marketo_column_names(relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The column names of a Marketo connector table, lower-cased, read from the warehouse when the model
    is compiled (the lead table holds each instance's own fields). A table the connection did not
    write has none, so every column read through marketo_column is a typed null (and the model reads
    leadscore.tracker_source: no rows); a required one (lead) stops the build with one line naming it
    and the vars. Empty while dbt parses. -#}
{% macro marketo_source_columns(table, required=false) -%}
    {%- if execute and required and leadscore.tracker_relation('marketo', table) is none -%}
        {{ exceptions.raise_compiler_error(
            "source marketo." ~ table ~ ": no table " ~ source('marketo', table) ~ " (vars marketo_database,"
            ~ " marketo_schema name where Fivetran's Marketo connector writes; docs/sources/marketo.md)"
        ) }}
    {%- endif -%}
    {{ return(leadscore.tracker_column_names('marketo', table)) }}
{%- endmacro %}

{#- A column cast to a type, or a typed null when this instance's table does not have it. -#}
{% macro marketo_column(column_names, name, data_type) -%}
    {%- if name in column_names -%}
        cast({{ name }} as {{ data_type }})
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{#- The (key, column) pairs of the columns that are not in `mapped` nor Fivetran's own
    (_fivetran_*): the custom attributes of a lead, keyed by their column name. -#}
{% macro marketo_attribute_pairs(column_names, mapped) -%}
    {%- set pairs = [] -%}
    {%- for name in column_names | sort -%}
        {%- if name not in mapped and not name.startswith('_fivetran') -%}
            {%- do pairs.append((name, name if modules.re.match('^[a-z_][a-z0-9_]*$', name) else adapter.quote(name))) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}
