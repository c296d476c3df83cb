{#- Incremental int_lead_scores_at_instants (README "Incremental scoring").

    Its rows are scores at past instants: a later build changes them only for contacts whose data
    changed. With exponential decay and stored rows of the same inputs (engagement_inputs_key plus
    the clamp, the engagement cap and the grid's inactivity settings), a build keeps every row of
    an untouched candidate before the stored as_of and computes that contact's instants from the
    stored as_of to the new one from int_engagement_rule_sums ("brought forward"). It recomputes
    every instant of the other candidates ("rescored"): contacts with an event or a status change
    loaded since, or dated after the stored as_of (engagement_touched_contacts), contacts with a
    manual adjustment (few: their starts and expiries are instants), contacts whose fit score
    changed, and new candidates. Rows of contacts that are no longer candidates are deleted.
    Otherwise (another decay method, a grid or var change, an earlier as_of, no stored rows) it
    recomputes everything; other adapters build the model as a table every time. -#}

{#- A SQL expression: the hash of everything the stored instants depend on besides the raw data. -#}
{% macro instants_inputs_key() -%}
    {%- set settings_text -%}
        coalesce((select {{ dbt.concat([
            "cast(grid as " ~ dbt.type_string() ~ ")", "'/'",
            "coalesce(cast(inactivity_days as " ~ dbt.type_string() ~ "), '~')", "'/'",
            "coalesce(cast(inactivity_points as " ~ dbt.type_string() ~ "), '~')"
        ]) }} from {{ ref('stg_grid__settings') }}), '')
    {%- endset -%}
    {{ leadscore.engagement_inputs_key(
        extra_vars=['lead_score_min', 'lead_score_max', 'engagement_cap', 'decay_method'],
        extra_text_sql=settings_text
    ) }}
{%- endmacro %}

{#- engagement_incremental_state for int_lead_scores_at_instants. -#}
{% macro instants_incremental_state() -%}
    {%- set decay_method = leadscore.choice_var('decay_method') -%}
    {{ return(leadscore.engagement_incremental_state(
        inputs_key=leadscore.instants_inputs_key(),
        blocker=none if decay_method == 'exponential' else 'decay_method ' ~ decay_method ~ ' has no running sums'
    )) }}
{%- endmacro %}

{#- The stored as_of as seconds since 1970 (a SQL expression), or as_of itself on a full build. -#}
{% macro instants_since_epoch(state) -%}
    {%- if state.reuse -%}
        {{ leadscore.epoch_seconds("cast('" ~ state.computed_as_of ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- else -%}
        {{ leadscore.epoch_seconds(leadscore.as_of_timestamp()) }}
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook: keep only the rows of untouched candidates before the stored as_of. -#}
{% macro instants_incremental_pre_hook() -%}
    {%- if leadscore.engagement_is_incremental() -%}
        {%- set state = leadscore.instants_incremental_state() -%}
        {%- if state.reuse -%}
            delete from {{ this }}
            where
                evaluated_epoch >= {{ leadscore.instants_since_epoch(state) }}
                or contact_id in ({{ leadscore.engagement_touched_contacts(state) }})
                or contact_id in (select contact_id from {{ ref('int_score_adjustments') }})
                or contact_id not in (select contact_id from {{ ref('int_mql_candidates') }})
                or contact_id in (
                    select stored.contact_id
                    from {{ this }} as stored
                    inner join {{ ref('int_mql_candidates') }} as candidates
                        on stored.contact_id = candidates.contact_id
                    where stored.is_as_of and stored.fit_score <> candidates.fit_score
                )
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The relation the model reads the contacts with kept instants from: itself after the pre-hook
    when it reuses its rows, else int_mql_candidates (which the model then filters with 1 = 0: a
    static query either way). -#}
{% macro instants_stored_rows(state) -%}
    {{ return(this if state.reuse else ref('int_mql_candidates')) }}
{%- endmacro %}
