{#- Reading an event tracker's warehouse tables (Segment, RudderStack: docs/sources/segment.md).
    A tracker creates a table the first time it receives that kind of call (a web-only source has no
    screens table) and a column the first time a property or trait carries it, so the models name
    the columns they read through these macros: a column the table does not have reads as a typed
    null, a table the tracker never wrote as no rows. -#}

{#- The source table, or an empty relation when the tracker never wrote it. -#}
{% macro tracker_source(system, table) -%}
    {%- set relation = source(system, table) -%}
    {%- if execute and leadscore.tracker_relation(system, table) is none -%}
        {{ return('(select 1 as no_row where 1 = 0) as missing_' ~ table) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{% macro tracker_relation(system, table) -%}
    {%- set relation = source(system, table) -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}

{#- The table's column names, lower-cased (empty when the table is missing or while dbt parses). -#}
{% macro tracker_column_names(system, table) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set relation = leadscore.tracker_relation(system, table) -%}
    {%- if relation is none -%}{{ return([]) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do names.append(column.name | lower) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The first non-null of the named columns the table has, cast to data_type (text by default);
    a typed null when it has none of them. -#}
{% macro tracker_column(system, table, names, data_type=none) -%}
    {%- set data_type = data_type or dbt.type_string() -%}
    {%- set present = leadscore.tracker_column_names(system, table) -%}
    {%- set found = [] -%}
    {%- for name in ([names] if names is string else names) -%}
        {%- if name | lower in present -%}{%- do found.append('cast(' ~ adapter.quote(name | lower) ~ ' as ' ~ data_type ~ ')') -%}{%- endif -%}
    {%- endfor -%}
    {%- if not found -%}
        {{ return('cast(null as ' ~ data_type ~ ')') }}
    {%- elif found | length == 1 -%}
        {{ return(found[0]) }}
    {%- endif -%}
    {{ return('coalesce(' ~ found | join(', ') ~ ')') }}
{%- endmacro %}

{#- An identifier column: trimmed text, empty = null; lower_case for emails. -#}
{% macro tracker_id(system, table, names, lower_case=false) -%}
    {%- set value = 'trim(' ~ leadscore.tracker_column(system, table, names) ~ ')' -%}
    {{ return("nullif(" ~ ('lower(' ~ value ~ ')' if lower_case else value) ~ ", '')") }}
{%- endmacro %}

{#- The columns every call carries (the envelope), which are not the call's own properties. -#}
{% macro tracker_envelope_columns() -%}
    {{ return(['id', 'anonymous_id', 'user_id', 'received_at', 'sent_at', 'timestamp', 'original_timestamp',
        'uuid_ts', 'loaded_at', 'event', 'event_text', 'channel', 'rudder_id', 'request_ip']) }}
{%- endmacro %}

{#- The call's own properties (every column that is neither the envelope nor context_*) as a JSON
    object text, the events' `properties` that a rule's match_field properties.<key> reads. -#}
{% macro tracker_properties(system, table) -%}
    {%- set envelope = leadscore.tracker_envelope_columns() -%}
    {%- set pairs = [] -%}
    {%- for name in leadscore.tracker_column_names(system, table) -%}
        {%- if name not in envelope and not name.startswith('context_') and not name.startswith('_') -%}
            {%- do pairs.append([name, adapter.quote(name)]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(leadscore.json_object_text(pairs)) }}
{%- endmacro %}
