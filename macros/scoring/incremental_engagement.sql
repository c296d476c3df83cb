{#- Incremental engagement scoring (README "Incremental scoring").

    int_engagement_event_matches (one row per counted event and rule) and int_engagement_rule_sums
    (one row per contact, rule and product line, with the exponential running sum) are incremental
    on DuckDB. Every row records the build that computed it: computed_as_of (the as_of then),
    loaded_through (the latest _loaded_at of events and status changes then) and inputs_key (a hash
    of the engagement grids, champion and challenger, the product-line mappings and the vars the
    rows depend on).

    A later build reuses the stored rows when its as_of is not earlier than theirs and the key has
    not changed; it then recomputes only the "touched" contacts: those with an event or a status
    change loaded since loaded_through or dated after computed_as_of (up to the new as_of). (`leadscore
    forget` deletes an erased contact's rows from every table, these two included.) Otherwise (a backfill,
    a grid, mapping or var change, an empty table) it recomputes everything. Other adapters (Spark:
    no delete on Parquet tables) build these models as tables, from scratch, every time. -#}

{% macro engagement_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- is_incremental(), false where there is no relation to speak of (unit tests, parsing). -#}
{% macro engagement_is_incremental() -%}
    {{ return(execute and this is not none and is_incremental()) }}
{%- endmacro %}

{#- A SQL expression on a row of int_engagement_rule_sums: its decayed points as of as_of,
    rule_points x decay_weight x 0.5 ^ ((as_of - last_occurred_at) / half_life_days). -#}
{% macro running_sum_decayed_points() -%}
    rule_points * decay_weight * power(
        0.5,
        {{ leadscore.age_days(
            leadscore.epoch_seconds(leadscore.as_of_timestamp()),
            leadscore.epoch_seconds('last_occurred_at')
        ) }} / half_life_days
    )
{%- endmacro %}

{#- A SQL expression: the hash of everything the stored rows depend on besides the raw data. -#}
{% macro engagement_inputs_key(extra_vars=[], extra_text_sql="''") -%}
    {%- set var_names = [
        'scoring_grid', 'challenger_grid', 'bot_filter', 'bot_click_seconds', 'bot_burst_clicks', 'bot_burst_seconds',
        'bot_click_event_type', 'bot_delivery_event_type', 'recycle_mode', 'recycle_status',
        'decay_half_life_days', 'engagement_cap_unlock_rules'
    ] + extra_vars -%}
    {%- set var_text = [] -%}
    {%- for name in var_names -%}
        {%- do var_text.append(name ~ '=' ~ (var(name, '') | string)) -%}
    {%- endfor -%}
    {%- set rule_fields = [] -%}
    {%- for column in ['rule_id', 'event_type', 'match_field', 'operator', 'value', 'points', 'half_life_days', 'category', 'product_line'] -%}
        {%- do rule_fields.extend(["coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')", "'/'"]) -%}
    {%- endfor -%}
    {%- set mapping_fields = [] -%}
    {%- for column in ['mapping_id', 'match_field', 'operator', 'value', 'product_line', 'priority'] -%}
        {%- do mapping_fields.extend(["coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')", "'/'"]) -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat([
        "'" ~ (var_text | join(';') | replace("'", "''")) ~ "'",
        "'#'",
        "coalesce((select " ~ leadscore.ordered_string_agg(dbt.concat(rule_fields), "'|'", 'rule_id') ~ " from " ~ ref('stg_grid__engagement_rules') ~ "), '')",
        "'#'",
        "coalesce((select " ~ leadscore.ordered_string_agg(dbt.concat(rule_fields), "'|'", 'rule_id') ~ " from " ~ ref('stg_grid__challenger_engagement_rules') ~ "), '')",
        "'#'",
        "coalesce((select " ~ leadscore.ordered_string_agg(dbt.concat(mapping_fields), "'|'", 'mapping_id') ~ " from " ~ ref('stg_reference__product_line_mappings') ~ "), '')",
        "'#'",
        leadscore.identity_resolution_fingerprint(),
        "'#'",
        "'" ~ leadscore.engagement_code_version() ~ "'",
        "'#'",
        extra_text_sql
    ])) }}
{%- endmacro %}

{#- A hash of the SQL of the incremental engagement models: a new version of the project that changes
    what their rows hold (a column, a filter) recomputes every contact once, instead of keeping rows the
    old code wrote. (A change in a macro they call is not seen: it needs a --full-refresh.) -#}
{% macro engagement_code_version() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set code = [] -%}
    {%- for node in (graph.get('nodes') or {}).values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'in', ['int_engagement_event_matches', 'int_engagement_rule_sums'])
        | sort(attribute='unique_id') -%}
        {%- do code.append(node.name ~ '=' ~ node.raw_code) -%}
    {%- endfor -%}
    {{ return(local_md5(code | join('\n'))) }}
{%- endmacro %}

{#- A SQL expression: which contact every id of the identity graph resolves to, as a short
    order-independent fingerprint (count and sum of hashes); '' when no stitching is needed (raw
    alone). A new link moves events, dated and loaded long ago, to a contact: the stored rows are
    then recomputed (docs/identity.md). -#}
{% macro identity_resolution_fingerprint() -%}
    {%- if not execute or not leadscore.identity_stitching_needed() -%}{{ return("''") }}{%- endif -%}
    {#- the table itself, not ref(): a unit test has no such input. It is always built before the
        models that read this (they read int_events, which resolves events through it). -#}
    {%- set resolved = leadscore.built_relation('model', 'int_identity_resolved') -%}
    {%- if resolved is none -%}{{ return("''") }}{%- endif -%}
    {%- set text = dbt.type_string() -%}
    {%- set node = dbt.concat(['node_type', "':'", 'node_id', "'>'", "coalesce(contact_id, '')"]) -%}
    {{ return("coalesce((select " ~ dbt.concat([
        "cast(count(*) as " ~ text ~ ")", "':'", "cast(sum(hash(" ~ node ~ ")) as " ~ text ~ ")"
    ]) ~ " from " ~ resolved ~ "), '')") }}
{%- endmacro %}

{#- A SQL expression: the latest load of the inputs that decide a contact's engagement rows. -#}
{% macro engagement_loaded_through() -%}
    (select max(loaded_at) from (
        select max(loaded_at) as loaded_at from {{ ref('int_events') }}
        union all
        select max(loaded_at) as loaded_at from {{ ref('int_lead_status_changes') }}
    ) as loads)
{%- endmacro %}

{#- What the stored rows of this incremental model allow: a dict with reuse (bool) and, when
    reused, the computed_as_of and loaded_through literals to look for changes after. inputs_key:
    the model's key expression (default engagement_inputs_key()); blocker: a reason not to reuse
    the stored rows whatever they are (none: no such reason). -#}
{% macro engagement_incremental_state(inputs_key=none, blocker=none) -%}
    {%- set state = {'reuse': false, 'reason': 'first build'} -%}
    {%- set stored_columns = [] -%}
    {%- if leadscore.engagement_is_incremental() -%}
        {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- endif -%}
    {%- if 'inputs_key' not in stored_columns -%}
        {%- if leadscore.engagement_is_incremental() -%}
            {%- do state.update({'reason': 'the stored table has no bookkeeping columns (built by an older version)'}) -%}
            {%- do log(this.identifier ~ ': recomputing every contact (' ~ state.reason ~ ')', info=true) -%}
        {%- endif -%}
    {%- else -%}
        {%- set query -%}
            with current_inputs as (
                select {{ inputs_key or leadscore.engagement_inputs_key() }} as inputs_key
            ),

            stored as (
                select
                    count(*) as stored_rows,
                    max(computed_as_of) as computed_as_of,
                    max(loaded_through) as loaded_through,
                    min(inputs_key) as min_key,
                    max(inputs_key) as max_key
                from {{ this }}
            )

            select
                stored.stored_rows,
                cast(stored.computed_as_of as {{ dbt.type_string() }}) as computed_as_of,
                cast(stored.loaded_through as {{ dbt.type_string() }}) as loaded_through,
                case
                    when stored.min_key = current_inputs.inputs_key and stored.max_key = current_inputs.inputs_key
                        then 0
                    else 1
                end as stale_rows,
                case when stored.computed_as_of > {{ leadscore.as_of_timestamp() }} then 1 else 0 end as later_rows
            from stored
            cross join current_inputs
        {%- endset -%}
        {%- set row = run_query(query).rows[0] -%}
        {%- if row[0] == 0 -%}
            {%- do state.update({'reason': 'no stored rows'}) -%}
        {%- elif blocker -%}
            {%- do state.update({'reason': blocker}) -%}
        {%- elif row[3] > 0 -%}
            {%- do state.update({'reason': 'the grid, the product-line mappings, a scoring var or the models\' code changed'}) -%}
        {%- elif row[4] > 0 -%}
            {%- do state.update({'reason': 'as_of is earlier than the stored rows'}) -%}
        {%- else -%}
            {%- do state.update({'reuse': true, 'reason': 'reused', 'computed_as_of': row[1], 'loaded_through': row[2]}) -%}
        {%- endif -%}
        {%- do log(this.identifier ~ ': ' ~ ('incremental, touched contacts only' if state.reuse else 'recomputing every contact (' ~ state.reason ~ ')'), info=true) -%}
    {%- endif -%}
    {{ return(state) }}
{%- endmacro %}

{#- A SQL query: the contacts whose engagement rows must be recomputed (see the header). -#}
{% macro engagement_touched_contacts(state) -%}
    {%- set since_as_of = "cast('" ~ state.computed_as_of ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set since_load = "cast('" ~ state.loaded_through ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    select contact_id
    from {{ ref('int_events') }}
    where
        (loaded_at > {{ since_load }} or occurred_at > {{ since_as_of }})
        and occurred_at <= {{ leadscore.as_of_timestamp() }}
    union
    select contact_id
    from {{ ref('int_lead_status_changes') }}
    where
        (loaded_at > {{ since_load }} or changed_at > {{ since_as_of }})
        and changed_at <= {{ leadscore.as_of_timestamp() }}
{%- endmacro %}

{#- The pre-hook of both models: make room for what the build writes. -#}
{% macro engagement_incremental_pre_hook() -%}
    {%- if leadscore.engagement_is_incremental() -%}
        {%- set state = leadscore.engagement_incremental_state() -%}
        {%- if state.reuse -%}
            delete from {{ this }}
            where contact_id in ({{ leadscore.engagement_touched_contacts(state) }})
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The rows a build recomputes: a where clause on contact_id (always true on a full build). -#}
{% macro engagement_scope(contact_id_expr) -%}
    {%- set state = leadscore.engagement_incremental_state() -%}
    {%- if state.reuse -%}
        {{ contact_id_expr }} in ({{ leadscore.engagement_touched_contacts(state) }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
