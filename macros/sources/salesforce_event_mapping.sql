{#- The rows of seeds/source_event_mappings.csv for one Salesforce table, read when the model is compiled
    (after the seeds of the same build loaded; the model declares `-- depends_on: ref('source_event_mappings')`),
    as dicts with the seed's columns, source_type lower-cased and trimmed. Empty before the seed was ever
    loaded (dbt compile, sqlfluff): the model then maps no row. -#}
{% macro salesforce_event_mappings(source_table) -%}
    {#- the seed's table itself, not ref(): a unit test replaces refs by its fixtures; none when it was
        never loaded (dbt compile, sqlfluff): no events yet -#}
    {%- set seed = leadscore.built_relation('seed', 'source_event_mappings') -%}
    {%- if seed is none -%}{{ return([]) }}{%- endif -%}
    {%- set columns = ['source_type', 'event_type', 'url_field', 'asset_field', 'campaign_field'] -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- do selected.append("coalesce(lower(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "))), '') as " ~ column) -%}
    {%- endfor -%}
    {%- set result = run_query(
        "select " ~ selected | join(', ') ~ " from " ~ seed
        ~ " where lower(trim(cast(system as " ~ dbt.type_string() ~ "))) = 'salesforce'"
        ~ " and lower(trim(cast(source_table as " ~ dbt.type_string() ~ "))) = '" ~ dbt.escape_single_quotes(source_table) ~ "'"
        ~ " order by source_type"
    ) -%}
    {%- set rows = [] -%}
    {%- for row in result.rows -%}
        {%- set mapping = {} -%}
        {%- for column in columns -%}{%- do mapping.update({column: row[loop.index0]}) -%}{%- endfor -%}
        {%- do rows.append(mapping) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{#- One output of the mappings of a Salesforce table as a SQL expression: `event_type` (the canonical event
    type, null when no row maps the record: it is not an event) or `url_field` / `asset_field` /
    `campaign_field` (the value of the column the matching row names, among field_columns).
    A row's source_type is compared, lower-cased, with each of type_columns in turn (the first, e.g. a
    task's subtype, before the next, e.g. its type); a row with an empty source_type maps every other record. -#}
{% macro salesforce_event_mapping(source_table, output, type_columns, field_columns=[]) -%}
    {%- set rows = leadscore.salesforce_event_mappings(source_table) -%}
    {%- set typed = rows | rejectattr('source_type', 'equalto', '') | list -%}
    {%- set catch_all = rows | selectattr('source_type', 'equalto', '') | list -%}
    {%- set ns = namespace(branches=[]) -%}
    {%- for type_column in type_columns -%}
        {%- for row in typed -%}
            {%- do ns.branches.append((
                "lower(trim(" ~ type_column ~ ")) = '" ~ dbt.escape_single_quotes(row.source_type) ~ "'", row
            )) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if catch_all -%}
        {%- do ns.branches.append(('true', catch_all[0])) -%}
    {%- endif -%}
    {%- if not ns.branches -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    case
    {%- for condition, row in ns.branches %}
        when {{ condition }} then {{ leadscore.salesforce_mapped_value(source_table, row, output, field_columns) }}
    {%- endfor %}
    end
{%- endmacro %}

{% macro salesforce_mapped_value(source_table, row, output, field_columns) -%}
    {%- if output == 'event_type' -%}
        {%- if not row.event_type -%}
            {{ exceptions.raise_compiler_error(
                "seed source_event_mappings: the row of salesforce / " ~ source_table ~ " / '" ~ row.source_type
                ~ "' has no event_type"
            ) }}
        {%- endif -%}
        '{{ dbt.escape_single_quotes(row.event_type) }}'
    {%- elif not row[output] -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif row[output] in field_columns -%}
        cast({{ row[output] }} as {{ dbt.type_string() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "seed source_event_mappings: " ~ output ~ " '" ~ row[output] ~ "' of salesforce / " ~ source_table
            ~ " is not a column of that table's events (one of: " ~ field_columns | join(', ') ~ ")"
        ) }}
    {%- endif -%}
{%- endmacro %}
