{#- The `when ... then '<problem>'` branches of the seeds' validation (macro validate_seed), one
    macro per seed. Each reads a row of the seed and the helper columns of seed_checks; the first
    branch that holds is the row's problem. They check what the models rely on (keys, the values
    the engine compares exactly, numbers, regexes), never the shipped values themselves. -#}

{#- "<column> '<value>'" for a message, empty cells shown as ''. -#}
{% macro quoted_cell(column) -%}
    '{{ column }} ''' || coalesce(cast({{ column }} as {{ dbt.type_string() }}), '') || ''''
{%- endmacro %}

{% macro appears_times(copies='copies') -%}
    ' appears ' || cast({{ copies }} as {{ dbt.type_string() }}) || ' times'
{%- endmacro %}

{% macro is_blank(column) -%}
    ({{ column }} is null or trim({{ column }}) = '')
{%- endmacro %}

{% macro grade_band_columns() -%}
    count(*) over (partition by dimension, band) as copies,
    count(case when {{ leadscore.is_blank('min_score') }} then 1 end) over (partition by dimension) as floor_bands,
    count(*) over (partition by dimension, {{ leadscore.to_number('min_score') }}) as score_copies,
    row_number() over (partition by dimension order by band) as band_number,
    count(case when dimension = 'fit' then 1 end) over () as fit_bands,
    count(case when dimension = 'engagement' then 1 end) over () as engagement_bands,
    row_number() over (order by dimension, band) as seed_row_number
{%- endmacro %}

{% macro grade_band_problems() -%}
    when dimension is null or dimension not in ('fit', 'engagement')
        then {{ leadscore.quoted_cell('dimension') }} || ' is not fit or engagement'
    when {{ leadscore.is_blank('band') }} then 'band is empty'
    when copies > 1 then 'band' || {{ leadscore.appears_times() }}
    when not {{ leadscore.is_blank('min_score') }} and {{ leadscore.to_number('min_score') }} is null
        then {{ leadscore.quoted_cell('min_score') }} || ' is not a number'
    when {{ leadscore.is_blank('min_score') }} and floor_bands > 1
        then 'dimension ' || dimension || ' has ' || cast(floor_bands as {{ dbt.type_string() }})
            || ' bands without min_score (one floor band per dimension)'
    when floor_bands = 0 and band_number = 1
        then 'dimension ' || dimension || ' has no band without min_score (the floor band, for scores under every min_score)'
    when not {{ leadscore.is_blank('min_score') }} and score_copies > 1
        then 'min_score ' || trim(min_score) || ' is the min_score of ' || cast(score_copies as {{ dbt.type_string() }})
            || ' bands of dimension ' || dimension
    when seed_row_number = 1 and fit_bands = 0 then 'no band of dimension fit'
    when seed_row_number = 1 and engagement_bands = 0 then 'no band of dimension engagement'
{%- endmacro %}

{% macro scoring_grid_problems() -%}
    when {{ leadscore.is_blank('grid') }} then 'grid is empty'
    when copies > 1 then 'grid' || {{ leadscore.appears_times() }}
    when not coalesce({{ leadscore.to_number('inactivity_days') }} > 0, false)
        then {{ leadscore.quoted_cell('inactivity_days') }} || ' is not a number > 0'
    when {{ leadscore.to_number('inactivity_points') }} is null
        then {{ leadscore.quoted_cell('inactivity_points') }} || ' is not a number'
{%- endmacro %}

{% macro email_domain_problems() -%}
    when {{ leadscore.is_blank('domain') }} then 'domain is empty'
    when copies > 1 then 'domain' || {{ leadscore.appears_times() }}
    when {{ dbt.position("'@'", 'domain') }} > 0 or {{ dbt.position("' '", 'trim(domain)') }} > 0
        then {{ leadscore.quoted_cell('domain') }} || ' is not a domain (no @ or spaces, e.g. gmail.com)'
    when domain_type is null or domain_type not in ('free', 'disposable')
        then {{ leadscore.quoted_cell('domain_type') }} || ' is not free or disposable'
{%- endmacro %}

{% macro job_title_pattern_problems() -%}
    when {{ leadscore.is_blank('pattern_id') }} then 'pattern_id is empty'
    when copies > 1 then 'pattern_id' || {{ leadscore.appears_times() }}
    when dimension is null or dimension not in ('job_level', 'job_function')
        then {{ leadscore.quoted_cell('dimension') }} || ' is not job_level or job_function'
    when {{ leadscore.is_blank('pattern') }} then 'pattern is empty'
    when not {{ leadscore.regex_compiles('pattern') }}
        then 'regex ''' || pattern || ''' does not compile'
    when {{ leadscore.is_blank('value') }} then 'value is empty (the job level or function a matching title gets)'
    when {{ leadscore.to_integer('priority') }} is null
        then {{ leadscore.quoted_cell('priority') }} || ' is not an integer'
{%- endmacro %}

{% macro country_alias_problems() -%}
    when {{ leadscore.is_blank('alias') }} then 'alias is empty'
    when copies > 1 then 'alias' || {{ leadscore.appears_times() }}
    when alias <> lower(trim(alias))
        then {{ leadscore.quoted_cell('alias') }} || ' is not lower case without surrounding spaces (it is compared with the lower-cased country)'
    when country_code is null or {{ dbt.length('country_code') }} <> 2 or country_code <> upper(country_code)
        then {{ leadscore.quoted_cell('country_code') }} || ' is not an ISO 3166 alpha-2 code (two capital letters, e.g. FR)'
{%- endmacro %}

{% macro company_name_suffix_problems() -%}
    when {{ leadscore.is_blank('suffix') }} then 'suffix is empty'
    when copies > 1 then 'suffix' || {{ leadscore.appears_times() }}
{%- endmacro %}

{% macro product_line_mapping_problems() -%}
    when {{ leadscore.is_blank('mapping_id') }} then 'mapping_id is empty'
    when copies > 1 then 'mapping_id' || {{ leadscore.appears_times() }}
    when match_field is null or lower(trim(match_field)) not in ('url', 'asset', 'campaign')
        then {{ leadscore.quoted_cell('match_field') }} || ' is not url, asset or campaign'
    {{ leadscore.operator_problems() }}
    when {{ leadscore.is_blank('product_line') }} then 'product_line is empty'
    when not {{ leadscore.is_blank('priority') }} and {{ leadscore.to_integer('priority') }} is null
        then {{ leadscore.quoted_cell('priority') }} || ' is not an integer'
{%- endmacro %}

{% macro buying_committee_role_problems() -%}
    when {{ leadscore.is_blank('role_id') }} then 'role_id is empty'
    when copies > 1 then 'role_id' || {{ leadscore.appears_times() }}
    when {{ leadscore.is_blank('job_level') }} and {{ leadscore.is_blank('job_function') }}
        then 'job_level and job_function are both empty (every contact would fill the role)'
    when not {{ leadscore.is_blank('points') }} and {{ leadscore.to_number('points') }} is null
        then {{ leadscore.quoted_cell('points') }} || ' is not a number'
    when {{ leadscore.is_blank('description') }} then 'description is empty (the role''s name in explanations)'
{%- endmacro %}

{% macro lifecycle_stage_problems() -%}
    when {{ leadscore.is_blank('stage') }} then 'stage is empty'
    when copies > 1 then 'stage' || {{ leadscore.appears_times() }}
    when stage <> lower(trim(stage))
        then {{ leadscore.quoted_cell('stage') }} || ' is not lower case without surrounding spaces (lead statuses are)'
    when {{ leadscore.to_integer('stage_order') }} is null
        then {{ leadscore.quoted_cell('stage_order') }} || ' is not an integer'
    when order_copies > 1
        then 'stage_order ' || trim(stage_order) || ' is shared by '
            || cast(order_copies as {{ dbt.type_string() }}) || ' stages (it orders two changes at the same instant)'
    when team is null or team not in ('marketing', 'sales', 'closed')
        then {{ leadscore.quoted_cell('team') }} || ' is not marketing, sales or closed'
    when counts_as_sales_touch is null or lower(trim(counts_as_sales_touch)) not in ('true', 'false')
        then {{ leadscore.quoted_cell('counts_as_sales_touch') }} || ' is not true or false'
{%- endmacro %}

{% macro identity_exclusion_problems() -%}
    when not {{ leadscore.is_blank('node_type') }} and lower(trim(node_type)) not in ('contact', 'email', 'user_id', 'anonymous_id')
        then {{ leadscore.quoted_cell('node_type') }} || ' is not contact, email, user_id, anonymous_id or empty (every type)'
    when value_pattern is null then 'value_pattern is empty (write (|"") for an empty id)'
    when copies > 1 then 'exclusion' || {{ leadscore.appears_times() }}
    when not {{ leadscore.regex_compiles('value_pattern') }}
        then 'regex ''' || value_pattern || ''' does not compile'
    when {{ leadscore.is_blank('reason') }} then 'reason is empty (why the id is not one person''s)'
{%- endmacro %}

{% macro crm_field_mapping_columns() -%}
    lower(trim(source_column)) as normalised_source_column,
    count(*) over (partition by mapping, lower(trim(source_column))) as copies,
    count(*) over (partition by mapping, lower(trim(crm_field))) as field_copies
{%- endmacro %}

{% macro crm_field_mapping_problems() -%}
    {%- set columns = leadscore.crm_sync_columns() -%}
    {%- set reserved = leadscore.crm_sync_reserved_columns() -%}
    when {{ leadscore.is_blank('mapping') }} then 'mapping is empty'
    when normalised_source_column is null or normalised_source_column not in ('{{ columns | join("', '") }}')
        then 'unknown ' || {{ leadscore.quoted_cell('source_column') }} || ' (one of {{ columns | join(", ") }})'
    when copies > 1 then 'source_column ' || normalised_source_column || ' is mapped '
        || cast(copies as {{ dbt.type_string() }}) || ' times'
    when crm_field is null or not {{ leadscore.regex_matches('trim(crm_field)', "'^[a-z_][a-z0-9_]*$'") }}
        then {{ leadscore.quoted_cell('crm_field') }} || ' is not a column name (letters, digits, _)'
    when lower(trim(crm_field)) in ('{{ reserved | join("', '") }}')
        then {{ leadscore.quoted_cell('crm_field') }} || ' is a name crm_lead_sync keeps for itself ({{ reserved | join(", ") }})'
    when field_copies > 1 then {{ leadscore.quoted_cell('crm_field') }} || ' is the field of '
        || cast(field_copies as {{ dbt.type_string() }}) || ' columns'
{%- endmacro %}

{#- Problems of the whole seed: a mapping without a row for some column of crm_lead_sync. -#}
{% macro crm_field_mapping_missing_columns() -%}
    {%- set columns = leadscore.crm_sync_columns() -%}
    select
        mappings.mapping as row_key,
        'no row for source_column ' || {{ leadscore.ordered_string_agg('sync_columns.source_column', "', '", 'sync_columns.column_number') }} as problem
    from (select distinct mapping from __seed__ where not {{ leadscore.is_blank('mapping') }}) as mappings
    cross join (
        {%- for column in columns %}
        select '{{ column }}' as source_column, {{ loop.index }} as column_number{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as sync_columns
    left join __seed__ as mapped
        on mappings.mapping = mapped.mapping
        and sync_columns.source_column = lower(trim(mapped.source_column))
    where mapped.mapping is null
    group by mappings.mapping
{%- endmacro %}
