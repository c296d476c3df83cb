{#- Which tracker calls become which canonical events: the rows of seeds/source_event_mappings.csv of
    one system and table, read when the model is compiled, after the seeds of the same build loaded
    (the model declares `-- depends_on: ref('source_event_mappings')`). A row with a source_type maps
    the calls of that name (a track's event name, compared case-insensitively with event_text and
    event); a row without one maps every other call of the table. Returned as a list of dicts. -#}
{% macro tracker_event_mappings(system, source_table) -%}
    {#- the seed's table itself, not ref(): a unit test replaces refs by its fixtures -#}
    {%- set seed = leadscore.built_relation('seed', 'source_event_mappings') -%}
    {%- if seed is none -%}{{ return([]) }}{%- endif -%}
    {%- set found = run_query(
        "select source_type, event_type, url_field, asset_field, campaign_field from " ~ seed
        ~ " where lower(trim(system)) = '" ~ system ~ "' and lower(trim(source_table)) = '" ~ source_table ~ "'"
        ~ " order by source_type"
    ) -%}
    {%- set mappings = [] -%}
    {%- for row in found.rows -%}
        {%- do mappings.append({
            'source_type': (row[0] or '') | trim | lower,
            'event_type': (row[1] or '') | trim | lower,
            'url_field': (row[2] or '') | trim | lower,
            'asset_field': (row[3] or '') | trim | lower,
            'campaign_field': (row[4] or '') | trim | lower,
        }) -%}
    {%- endfor -%}
    {{ return(mappings) }}
{%- endmacro %}

{#- The condition that a call is of a row's source_type (names: the expressions of its name). -#}
{% macro tracker_call_is(mapping, names) -%}
    {%- set conditions = [] -%}
    {%- for name in names -%}
        {%- do conditions.append("lower(trim(" ~ name ~ ")) = '" ~ dbt.escape_single_quotes(mapping.source_type) ~ "'") -%}
    {%- endfor -%}
    {{ return('(' ~ conditions | join(' or ') ~ ')') }}
{%- endmacro %}

{#- The canonical event_type of a call: its row's event_type, else the row without source_type's,
    else `fallback` (a track's own event name; null for a table without rows: its calls are not events). -#}
{% macro tracker_event_type(mappings, names, fallback='null') -%}
    {%- set default = mappings | selectattr('source_type', 'equalto', '') | list -%}
    {%- set otherwise = ("'" ~ dbt.escape_single_quotes(default[0].event_type) ~ "'") if default else fallback -%}
    {%- set specific = mappings | rejectattr('source_type', 'equalto', '') | list -%}
    {%- if not specific -%}{{ return(otherwise) }}{%- endif -%}
    case
        {%- for mapping in specific %}
        when {{ leadscore.tracker_call_is(mapping, names) }} then '{{ dbt.escape_single_quotes(mapping.event_type) }}'
        {%- endfor %}
        else {{ otherwise }}
    end
{%- endmacro %}

{#- The canonical url, asset or campaign of a call (field: url_field, asset_field, campaign_field):
    the column its row names, as text. A column the table does not have stops the build with the
    seed's row named. -#}
{% macro tracker_event_field(system, table, mappings, field, names) -%}
    {%- set present = leadscore.tracker_column_names(system, table) -%}
    {%- set branches = [] -%}
    {%- set otherwise = [] -%}
    {%- for mapping in mappings if mapping[field] -%}
        {%- if execute and present and mapping[field] not in present -%}
            {{ exceptions.raise_compiler_error(
                "seed source_event_mappings, row " ~ system ~ "/" ~ table ~ "/" ~ (mapping.source_type or '(every call)')
                ~ ": " ~ field ~ " '" ~ mapping[field] ~ "' is not a column of " ~ leadscore.tracker_relation(system, table)
                ~ " (its columns: " ~ present | join(', ') ~ ")"
            ) }}
        {%- endif -%}
        {%- set value = leadscore.tracker_column(system, table, [mapping[field]]) -%}
        {%- if mapping.source_type -%}
            {%- do branches.append('when ' ~ leadscore.tracker_call_is(mapping, names) ~ ' then ' ~ value) -%}
        {%- else -%}
            {%- do otherwise.append(value) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set fallback = otherwise[0] if otherwise else 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    {%- if not branches -%}{{ return('nullif(trim(' ~ fallback ~ "), '')") }}{%- endif -%}
    nullif(trim(case {{ branches | join(' ') }} else {{ fallback }} end), '')
{%- endmacro %}
