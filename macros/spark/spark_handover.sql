{#- run-operation helpers of the Spark target (leadscore build --target spark). -#}

{#- The raw schema as tables over the Parquet files the DuckDB warehouse handed over, and the schema
    of each selected source system (sources: schema -> tables, files at sources_location/<schema>/<table>). -#}
{% macro create_raw_tables_from_parquet(location, tables, sources_location=none, sources={}) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table in tables -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- do run_query("create table raw." ~ table ~ " using parquet location '" ~ location ~ "/" ~ table ~ "'") -%}
    {%- endfor -%}
    {{ log("raw tables ready on Spark: " ~ tables | join(", "), info=true) }}
    {%- for schema, schema_tables in sources.items() -%}
        {%- do run_query('create schema if not exists `' ~ schema ~ '`') -%}
        {%- for table in schema_tables -%}
            {%- set relation = '`' ~ schema ~ '`.`' ~ table ~ '`' -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query("create table " ~ relation ~ " using parquet location '"
                ~ sources_location ~ "/" ~ schema ~ "/" ~ table ~ "'") -%}
        {%- endfor -%}
        {{ log(schema ~ " tables ready on Spark: " ~ schema_tables | join(", "), info=true) }}
    {%- endfor -%}
{% endmacro %}

{#- Tables of the target written out as Parquet directories location/<table>/ (for comparisons). -#}
{% macro export_tables_to_parquet(location, tables) %}
    {%- for table in tables -%}
        {%- do run_query(
            "insert overwrite directory '" ~ location ~ "/" ~ table ~ "' using parquet select * from "
            ~ target.schema ~ "." ~ table
        ) -%}
    {%- endfor -%}
    {{ log("exported to " ~ location ~ ": " ~ tables | join(", "), info=true) }}
{% endmacro %}
