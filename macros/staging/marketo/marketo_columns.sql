{#- The column names of a connector table, lower-cased, read from the warehouse when the model is
    compiled (Marketo's lead table holds each instance's own fields). Empty while dbt parses. -#}
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
