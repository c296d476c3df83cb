{#- The rows of seeds/source_event_mappings.csv of system hubspot, checked against the tables they
    name: source_tables maps each table stg_hubspot__events reads to the column its source_type is
    compared with (none: the table has no type, source_type must be empty) and to the columns a
    url_field, asset_field or campaign_field may name. Read when the model is compiled, after the
    seeds of the same build loaded (the model declares `-- depends_on: ref('source_event_mappings')`);
    a row naming an unknown table or column stops the build with one line naming the seed row. -#}
{% macro hubspot_event_mappings(source_tables) -%}
    {#- the seed's table itself, not ref(): a unit test replaces refs by its fixtures; none when it was
        never loaded (dbt compile, sqlfluff): no events yet -#}
    {%- set seed = leadscore.built_relation('seed', 'source_event_mappings') -%}
    {%- if seed is none -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query(
        "select source_table, source_type, event_type, url_field, asset_field, campaign_field from " ~ seed
        ~ " where lower(trim(system)) = 'hubspot' order by source_table, source_type, event_type"
    ).rows -%}
    {%- set mappings = [] -%}
    {%- for row in rows -%}
        {%- set table = (row[0] or '') | trim | lower -%}
        {%- set source_type = (row[1] or '') | trim | lower -%}
        {%- set event_type = (row[2] or '') | trim | lower -%}
        {%- set where = 'seed source_event_mappings, row hubspot/' ~ table ~ '/' ~ source_type ~ ': ' -%}
        {%- if table not in source_tables -%}
            {{ exceptions.raise_compiler_error(where ~ "unknown source_table '" ~ table ~ "' (one of: " ~ source_tables.keys() | sort | join(', ') ~ ")") }}
        {%- endif -%}
        {%- if source_type and source_tables[table].type_column is none -%}
            {{ exceptions.raise_compiler_error(where ~ "table " ~ table ~ " has no type: leave source_type empty") }}
        {%- endif -%}
        {%- if not event_type -%}
            {{ exceptions.raise_compiler_error(where ~ "event_type is empty") }}
        {%- endif -%}
        {%- set fields = {} -%}
        {%- for name, value in [('url', row[3]), ('asset', row[4]), ('campaign', row[5])] -%}
            {%- set field = (value or '') | trim | lower -%}
            {%- if field and field not in source_tables[table].columns -%}
                {{ exceptions.raise_compiler_error(where ~ name ~ "_field '" ~ field ~ "' is not a column of " ~ table ~ " (one of: " ~ source_tables[table].columns | sort | join(', ') ~ ")") }}
            {%- endif -%}
            {%- do fields.update({name: field or none}) -%}
        {%- endfor -%}
        {%- do mappings.append({
            'source_table': table, 'source_type': source_type or none, 'event_type': event_type,
            'url_field': fields.url, 'asset_field': fields.asset, 'campaign_field': fields.campaign,
        }) -%}
    {%- endfor -%}
    {{ return(mappings) }}
{%- endmacro %}

{#- The lower-cased column names of a model built earlier in the run (a base model). -#}
{% macro hubspot_model_columns(relation) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}{%- do names.append(column.name | lower) -%}{%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
