{#- The rows of seeds/identity_exclusions.csv (validated when it loaded), read through
    stg_reference__identity_exclusions when int_identity_nodes is compiled, after that view was built in
    the same build (the model declares `-- depends_on:`), so that each pattern is a constant regex in
    the SQL: a pattern read from a joined column is compiled again for every id (docs/identity.md).
    Ordered by reason, so the first pattern that matches gives the smallest reason. A list of dicts
    (node_type '' = any type). -#}
{% macro identity_exclusion_rows() -%}
    {%- set view = leadscore.built_relation('model', 'stg_reference__identity_exclusions') -%}
    {%- if view is none -%}{{ return([]) }}{%- endif -%}
    {%- set found = run_query(
        "select node_type, value_pattern, reason from " ~ view ~ " order by reason, node_type, value_pattern"
    ) -%}
    {%- set rows = [] -%}
    {%- for row in found.rows -%}
        {%- do rows.append({
            'node_type': (row[0] or '') | trim | lower, 'value_pattern': row[1] or '', 'reason': row[2] or ''
        }) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{#- A SQL expression: the reason the smallest matching exclusion gives the id, else null. -#}
{% macro identity_exclusion_reason(type_expr, id_expr) -%}
    {%- set exclusions = leadscore.identity_exclusion_rows() -%}
    {%- if not exclusions -%}{{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}{%- endif -%}
    {%- set branches = [] -%}
    {%- for exclusion in exclusions -%}
        {%- set matches = leadscore.regex_matches(id_expr, leadscore.text_literal('^(?:' ~ exclusion.value_pattern ~ ')$')) -%}
        {%- if exclusion.node_type -%}
            {%- set matches = type_expr ~ ' = ' ~ leadscore.text_literal(exclusion.node_type) ~ ' and ' ~ matches -%}
        {%- endif -%}
        {%- do branches.append('when ' ~ matches ~ ' then ' ~ leadscore.text_literal(exclusion.reason)) -%}
    {%- endfor -%}
    {{ return('case ' ~ branches | join(' ') ~ ' end') }}
{%- endmacro %}
