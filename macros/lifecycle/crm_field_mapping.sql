{#- The CRM field names of crm_lead_sync's columns: the rows of seeds/crm_field_mappings.csv whose
    mapping is var crm_field_mapping, as a list of (source_column, crm_field) in the order of
    source_columns. Read when the model is compiled, after the seeds of the same build loaded (the
    model declares `-- depends_on: ref('stg_reference__crm_field_mappings')`, the seed's staging view). A mapping must name every source
    column once, with distinct field names that are SQL identifiers; anything else stops the build
    with a message naming the seed, the mapping and the problem. -#}
{% macro crm_field_mapping(source_columns, reserved_columns) -%}
    {%- set mapping = var('crm_field_mapping', none) | string | trim -%}
    {%- set identity = [] -%}
    {%- for column in source_columns -%}{%- do identity.append((column, column)) -%}{%- endfor -%}
    {%- if not execute -%}
        {{ return(identity) }}
    {%- endif -%}
    {#- the staging view itself, not ref(): a unit test replaces refs by its fixtures (and has no graph) -#}
    {%- set seed_nodes = (graph.get('nodes') or {}).values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', 'stg_reference__crm_field_mappings') | list -%}
    {%- if seed_nodes -%}
        {%- set seed = api.Relation.create(
            database=seed_nodes[0].database, schema=seed_nodes[0].schema,
            identifier=seed_nodes[0].alias or seed_nodes[0].name
        ) -%}
    {%- else -%}
        {%- set seed = api.Relation.create(database=target.get('database'), schema=target.schema, identifier='stg_reference__crm_field_mappings') -%}
    {%- endif -%}
    {%- if adapter.get_relation(database=seed.database, schema=seed.schema, identifier=seed.identifier) is none -%}
        {#- compiled before the seed was ever loaded (dbt compile, sqlfluff): the table's own names -#}
        {{ return(identity) }}
    {%- endif -%}
    {%- set found = run_query(
        "select distinct mapping from " ~ seed ~ " order by mapping"
    ).columns[0].values() -%}
    {%- if mapping not in found -%}
        {{ exceptions.raise_compiler_error(
            "var crm_field_mapping: no mapping '" ~ mapping ~ "' in seed crm_field_mappings (found: "
            ~ found | join(', ') ~ ")"
        ) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select source_column, crm_field from " ~ seed ~ " where mapping = '"
        ~ dbt.escape_single_quotes(mapping) ~ "' order by source_column"
    ).rows -%}
    {%- set by_source = {} -%}
    {%- set fields = [] -%}
    {%- set problem = 'seed crm_field_mappings, mapping ' ~ mapping ~ ': ' -%}
    {%- for row in rows -%}
        {%- set source = (row[0] or '') | trim | lower -%}
        {%- set field = (row[1] or '') | trim -%}
        {%- if source not in source_columns -%}
            {{ exceptions.raise_compiler_error(problem ~ "unknown source_column '" ~ source ~ "' (one of: " ~ source_columns | join(', ') ~ ")") }}
        {%- endif -%}
        {%- if source in by_source -%}
            {{ exceptions.raise_compiler_error(problem ~ "source_column '" ~ source ~ "' is mapped twice") }}
        {%- endif -%}
        {%- if not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', field) -%}
            {{ exceptions.raise_compiler_error(problem ~ "crm_field '" ~ field ~ "' of " ~ source ~ " is not a column name (letters, digits, _)") }}
        {%- endif -%}
        {%- if field | lower in fields or field | lower in reserved_columns -%}
            {{ exceptions.raise_compiler_error(problem ~ "crm_field '" ~ field ~ "' is used twice (or is one of " ~ reserved_columns | join(', ') ~ ")") }}
        {%- endif -%}
        {%- do fields.append(field | lower) -%}
        {%- do by_source.update({source: field}) -%}
    {%- endfor -%}
    {%- set missing = source_columns | reject('in', by_source) | list -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(problem ~ "no crm_field for " ~ missing | join(', ')) }}
    {%- endif -%}
    {%- set pairs = [] -%}
    {%- for column in source_columns -%}{%- do pairs.append((column, by_source[column])) -%}{%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{#- The columns of crm_lead_sync that a mapping names, in the table's order, and those that keep
    their names under every mapping. -#}
{% macro crm_sync_columns() -%}
    {{ return(['email', 'first_name', 'last_name', 'company', 'job_title', 'account_id', 'lead_owner', 'lead_status',
        'lead_score', 'fit_score', 'engagement_score', 'lead_grade', 'lead_tier', 'is_mql', 'mql_at',
        'buying_behavior', 'score_reasons']) }}
{%- endmacro %}

{% macro crm_sync_reserved_columns() -%}
    {{ return(['contact_id', 'row_hash', 'updated_at']) }}
{%- endmacro %}

{#- A CRM field name as a column alias: quoted only when it is not lower case (Salesforce's Email). -#}
{% macro crm_field_alias(field) -%}
    {{ return(field if field == field | lower else adapter.quote(field)) }}
{%- endmacro %}
