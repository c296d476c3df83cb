{#- Post-hook of every seed (dbt_project.yml): reads the seed just loaded and stops the build, before
    any model reads it, with one line naming the seed, each faulty row (by its key) and its problem:
    "seed grade_bands, band fit/A: min_score 'abc' is not a number; band fit/D: ...". The checks of
    a kind of seed are the macro seed_checks(kind) names; a seed without checks passes. -#}
{% macro validate_seed(seed_relation) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set seed_name = seed_relation.identifier -%}
    {%- set checks = leadscore.seed_checks(seed_name.split('__')[0]) -%}
    {%- if checks is none -%}{{ return('') }}{%- endif -%}
    {%- set query -%}
        with

        seed_rows as (
            select
                *,
                {{ checks.key }} as row_key,
                {{ checks.columns }}
            from {{ seed_relation }}
        ),

        row_problems as (
            select
                row_key,
                case {{ checks.problems }} end as problem
            from seed_rows
        ),

        problems as (
            select row_key, problem from row_problems
            {%- if checks.get('set_problems') %}
            union all
            {{ checks.set_problems | replace('__seed__', seed_relation | string) }}
            {%- endif %}
        )

        {#- a duplicated row reports its problem once #}
        select distinct coalesce(row_key, '(empty {{ checks.label }})') as row_key, problem
        from problems
        where problem is not null
        order by 1, 2
    {%- endset -%}
    {%- set found = run_query(query) -%}
    {%- if found.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in found.rows -%}
            {%- do lines.append(checks.label ~ " " ~ row[0] ~ ": " ~ row[1]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("seed " ~ seed_name ~ ", " ~ lines | join('; ')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The checks of one kind of seed: how a row is named (label and key), the helper columns its
    problems read (copies of a key, ...), the `when ... then '<problem>'` branches, and optionally a
    query of problems of the whole seed (rows that are missing), reading the seed as __seed__. -#}
{% macro seed_checks(kind) -%}
    {%- set text = dbt.type_string() -%}
    {%- if kind in ('fit_rules', 'account_fit_rules') -%}
        {{ return({
            'label': 'rule', 'key': 'rule_id',
            'columns': 'lower(trim(operator)) as normalised_operator, count(*) over (partition by rule_id) as copies',
            'problems': leadscore.fit_rule_problems()}) }}
    {%- elif kind == 'engagement_rules' -%}
        {{ return({
            'label': 'rule', 'key': 'rule_id',
            'columns': 'lower(trim(operator)) as normalised_operator, count(*) over (partition by rule_id) as copies',
            'problems': leadscore.engagement_rule_problems()}) }}
    {%- elif kind in ('grade_bands', 'account_grade_bands') -%}
        {{ return({
            'label': 'band', 'key': dbt.concat(['dimension', "'/'", 'band']),
            'columns': leadscore.grade_band_columns(),
            'problems': leadscore.grade_band_problems()}) }}
    {%- elif kind == 'scoring_grids' -%}
        {{ return({
            'label': 'grid', 'key': 'grid',
            'columns': 'count(*) over (partition by lower(trim(grid))) as copies',
            'problems': leadscore.scoring_grid_problems()}) }}
    {%- elif kind == 'email_domains' -%}
        {{ return({
            'label': 'domain', 'key': 'domain',
            'columns': 'count(*) over (partition by lower(trim(domain))) as copies',
            'problems': leadscore.email_domain_problems()}) }}
    {%- elif kind == 'job_title_patterns' -%}
        {{ return({
            'label': 'pattern', 'key': 'pattern_id',
            'columns': 'count(*) over (partition by pattern_id) as copies',
            'problems': leadscore.job_title_pattern_problems()}) }}
    {%- elif kind == 'country_aliases' -%}
        {{ return({
            'label': 'alias', 'key': 'alias',
            'columns': 'count(*) over (partition by lower(trim(alias))) as copies',
            'problems': leadscore.country_alias_problems()}) }}
    {%- elif kind == 'company_name_suffixes' -%}
        {{ return({
            'label': 'suffix', 'key': 'suffix',
            'columns': 'count(*) over (partition by lower(trim(suffix))) as copies',
            'problems': leadscore.company_name_suffix_problems()}) }}
    {%- elif kind == 'product_line_mappings' -%}
        {{ return({
            'label': 'mapping', 'key': 'mapping_id',
            'columns': 'lower(trim(operator)) as normalised_operator, count(*) over (partition by mapping_id) as copies',
            'problems': leadscore.product_line_mapping_problems()}) }}
    {%- elif kind == 'buying_committee_roles' -%}
        {{ return({
            'label': 'role', 'key': 'role_id',
            'columns': 'count(*) over (partition by role_id) as copies',
            'problems': leadscore.buying_committee_role_problems()}) }}
    {%- elif kind == 'lifecycle_stages' -%}
        {{ return({
            'label': 'stage', 'key': 'stage',
            'columns': 'count(*) over (partition by lower(trim(stage))) as copies, '
                ~ 'count(*) over (partition by ' ~ leadscore.to_integer('stage_order') ~ ') as order_copies',
            'problems': leadscore.lifecycle_stage_problems()}) }}
    {%- elif kind == 'identity_exclusions' -%}
        {{ return({
            'label': 'exclusion', 'key': dbt.concat(["coalesce(node_type, '')", "'/'", 'value_pattern']),
            'columns': "count(*) over (partition by lower(trim(coalesce(node_type, ''))), value_pattern) as copies",
            'problems': leadscore.identity_exclusion_problems()}) }}
    {%- elif kind == 'crm_field_mappings' -%}
        {{ return({
            'label': 'mapping', 'key': dbt.concat(['mapping', "', source_column '", 'source_column']),
            'columns': leadscore.crm_field_mapping_columns(),
            'problems': leadscore.crm_field_mapping_problems(),
            'set_problems': leadscore.crm_field_mapping_missing_columns()}) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
