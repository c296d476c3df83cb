{#- run-operation helpers of the Spark target (leadscore build --target spark). -#}

{#- The raw schema as tables over the Parquet files the DuckDB warehouse handed over. -#}
{% macro create_raw_tables_from_parquet(location, tables) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table in tables -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- do run_query("create table raw." ~ table ~ " using parquet location '" ~ location ~ "/" ~ table ~ "'") -%}
    {%- endfor -%}
    {{ log("raw tables ready on Spark: " ~ tables | join(", "), info=true) }}
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
