{#- A where clause on an incremental model's rows: those the latest build wrote, computed_as_of =
    its largest value, read when the test runs and written as a literal (a scalar subquery would
    keep DuckDB from skipping the other row groups). Every row when the table is empty or not built
    (linting). A build rewrites every row of a contact it touches, so a test of a per-contact
    property checks in full what the build changed; rows it did not write were tested when they
    were. On a full build every row is the latest build's. Used by the generic test
    unique_in_latest_build and by assert_event_matches_agree_with_engine. -#}
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
