{#- The rows of seeds/source_event_mappings.csv for one Marketo activity table, as a list of dicts
    (source_type, event_type, url_field, asset_field, campaign_field), read when the model is compiled
    (after the seeds of the same build loaded: the model declares `-- depends_on:` the seed). Empty
    before the seed was ever loaded (dbt parse, dbt compile on a new warehouse). -#}
{% macro marketo_event_mappings(source_table) -%}
    {#- the seed's table itself, not ref(): a unit test replaces refs by its fixtures; none when it was
        never loaded (dbt compile, sqlfluff): no events yet -#}
    {%- set seed = leadscore.built_relation('seed', 'source_event_mappings') -%}
    {%- if seed is none -%}{{ return([]) }}{%- endif -%}
    {%- set fields = ['source_type', 'event_type', 'url_field', 'asset_field', 'campaign_field'] -%}
    {%- set query -%}
        select
            {%- for field in fields %}
            coalesce(trim(cast({{ field }} as {{ dbt.type_string() }})), '') as {{ field }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ seed }}
        where lower(trim(cast(system as {{ dbt.type_string() }}))) = 'marketo'
            and lower(trim(cast(source_table as {{ dbt.type_string() }}))) = '{{ source_table }}'
        order by 1, 2
    {%- endset -%}
    {%- set mappings = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- set mapping = {} -%}
        {%- for field in fields -%}{%- do mapping.update({field: row[loop.index0]}) -%}{%- endfor -%}
        {%- do mappings.append(mapping) -%}
    {%- endfor -%}
    {{ return(mappings) }}
{%- endmacro %}

{#- The expression of one canonical event field (event_type, url, asset or campaign) for the rows of
    a Marketo activity table: a mapping row with a source_type applies to the activities whose
    primary_attribute_value (the form, the email, the page) is that name, case-insensitively; the row
    without one to the others. Null where no row applies: stg_marketo__events drops an activity
    without an event_type. A url / asset / campaign field must be a column of the table's base model;
    anything else stops the build with one line naming the seed row and the problem. -#}
{% macro marketo_event_field(source_table, field, table_alias) -%}
    {%- set mappings = leadscore.marketo_event_mappings(source_table) -%}
    {%- set base = ref('base_marketo__' ~ source_table) -%}
    {%- set columns = [] -%}
    {%- if execute and field != 'event_type' and adapter.get_relation(
        database=base.database, schema=base.schema, identifier=base.identifier) is not none -%}
        {%- set columns = leadscore.marketo_column_names(base) -%}
    {%- endif -%}
    {%- set branches = [] -%}
    {%- set fallback = [] -%}
    {%- for mapping in mappings -%}
        {%- set where = 'seed source_event_mappings, row marketo/' ~ source_table ~ '/' ~ mapping.source_type ~ ': ' -%}
        {%- if field == 'event_type' -%}
            {%- if not mapping.event_type -%}
                {{ exceptions.raise_compiler_error(where ~ 'event_type is empty') }}
            {%- endif -%}
            {%- set expr = "'" ~ dbt.escape_single_quotes(mapping.event_type | lower) ~ "'" -%}
        {%- else -%}
            {%- set column = mapping[field ~ '_field'] | lower -%}
            {%- if not column -%}
                {%- set expr = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
            {%- elif not modules.re.match('^[a-z_][a-z0-9_]*$', column) or (columns and column not in columns) -%}
                {{ exceptions.raise_compiler_error(
                    where ~ field ~ "_field '" ~ column ~ "' is not a column of " ~ source_table
                    ~ (' (one of: ' ~ columns | join(', ') ~ ')' if columns else '')
                ) }}
            {%- else -%}
                {%- set expr = 'cast(' ~ table_alias ~ '.' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
            {%- endif -%}
        {%- endif -%}
        {%- if mapping.source_type -%}
            {%- do branches.append((mapping.source_type | lower, expr)) -%}
        {%- elif fallback -%}
            {{ exceptions.raise_compiler_error(where ~ 'the table has two rows without a source_type') }}
        {%- else -%}
            {%- do fallback.append(expr) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set otherwise = fallback[0] if fallback else 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    {%- if not branches -%}
        {{ return(otherwise) }}
    {%- endif -%}
    case lower({{ table_alias }}.primary_attribute_value)
        {%- for source_type, expr in branches %}
        when '{{ dbt.escape_single_quotes(source_type) }}' then {{ expr }}
        {%- endfor %}
        else {{ otherwise }}
    end
{%- endmacro %}
