{#- dbt's get_where_subquery (what a data test's `where` config filters its model with), with one
    placeholder: __rows_of_the_latest_build__ stands for "the rows the latest build wrote"
    (computed_as_of = the largest computed_as_of) of an incremental model. A build rewrites every
    row of a contact it touches, so a test of a per-contact property (a key that starts with the
    contact, or an event's key) checks in full what the build changed; rows it did not write were
    tested when they were. On a full build every row is the latest build's. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set latest = 'computed_as_of = (select max(computed_as_of) from ' ~ relation ~ ')' -%}
        {%- set where = where | replace('__rows_of_the_latest_build__', latest) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
