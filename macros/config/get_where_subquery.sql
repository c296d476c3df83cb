{#- dbt's get_where_subquery (what a data test's `where` config filters its model with), with one
    placeholder: __rows_of_the_latest_build__ stands for "the rows the latest build wrote"
    (computed_as_of = the largest computed_as_of) of an incremental model. A build rewrites every
    row of a contact it touches, so a test of a per-contact property (a key that starts with the
    contact, or an event's key) checks in full what the build changed; rows it did not write were
    tested when they were. On a full build every row is the latest build's. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- if '__rows_of_the_latest_build__' in where -%}
            {%- set where = where | replace('__rows_of_the_latest_build__', leadscore.latest_build_filter(relation)) -%}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}

{#- A where clause on an incremental model's rows: those the latest build wrote, computed_as_of =
    its largest value, read when the test runs and written as a literal (a scalar subquery would
    keep DuckDB from skipping the other row groups). Every row when the table is empty or not built (linting). -#}
{% macro latest_build_filter(relation) -%}
    {%- set latest = none -%}
    {%- if execute and load_relation(relation) is not none -%}
        {%- set found = run_query(
            'select cast(max(computed_as_of) as ' ~ dbt.type_string() ~ ') from ' ~ relation
        ).rows -%}
        {%- set latest = found[0][0] if found else none -%}
    {%- endif -%}
    {%- if latest is none -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {{ return("computed_as_of = cast('" ~ latest ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}
