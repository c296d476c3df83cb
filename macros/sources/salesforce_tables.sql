{#- Reading the tables of Fivetran's Salesforce connector (docs/sources/salesforce.md). A connection syncs
    the objects a team selected, so every table is optional except that `lead` or `contact` must exist:
    a table the connection did not write reads as no rows, a column a table lacks as a typed null. The
    models name every column they read through these macros, which are the tracker's (tracker_tables.sql)
    with the system salesforce. -#}

{#- The connector's table, or an empty relation when the connection did not write it. The lead table's
    model stops the build when neither lead nor contact exists (once: the contact model does not repeat it). -#}
{% macro salesforce_source(table) -%}
    {%- if execute and table == 'lead'
        and leadscore.tracker_relation('salesforce', 'lead') is none
        and leadscore.tracker_relation('salesforce', 'contact') is none -%}
        {%- set relation = source('salesforce', table) -%}
        {{ exceptions.raise_compiler_error(
            "source salesforce: neither table lead nor contact is in " ~ relation.database ~ "." ~ relation.schema
            ~ " (one of them is required; set vars salesforce_database / salesforce_schema to the connector's schema)"
        ) }}
    {%- endif -%}
    {{ return(leadscore.tracker_source('salesforce', table)) }}
{%- endmacro %}

{#- A column of the table (the first non-null of names) cast to data_type (text by default); a typed null
    when the table lacks it. -#}
{% macro salesforce_column(table, names, data_type=none) -%}
    {{ return(leadscore.tracker_column('salesforce', table, names, data_type)) }}
{%- endmacro %}

{#- A text column trimmed, empty = null; lower_case for emails, websites, statuses. -#}
{% macro salesforce_text(table, names, lower_case=false) -%}
    {{ return(leadscore.tracker_id('salesforce', table, names, lower_case)) }}
{%- endmacro %}

{#- A boolean column; a missing one (or a null) is false. -#}
{% macro salesforce_flag(table, name) -%}
    {{ return('coalesce(' ~ leadscore.salesforce_column(table, name, dbt.type_boolean()) ~ ', false)') }}
{%- endmacro %}
