{#- Per contact, engagement rule and product line: the running sums that let exponential decay be
    brought forward to any later as_of without reading the events again. With h the rule's
    half-life and t_last its latest occurrence, decay_weight is the sum over its events of
    0.5 ^ ((t_last - t) / h), so that its decayed occurrences as of any as_of >= t_last are
    decay_weight x 0.5 ^ ((as_of - t_last) / h) (every exponent stays <= 0: no overflow).
    Incremental on DuckDB like int_engagement_event_matches: a build recomputes only the contacts
    whose events or status changes are new (macros/scoring/incremental_engagement.sql). -#}
{{ config(
    materialized=leadscore.engagement_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ leadscore.engagement_incremental_pre_hook() }}"
) }}

with

matches as (
    select *
    from {{ ref('int_engagement_event_matches') }}
    where
        {{ leadscore.engagement_scope('contact_id') }}
        {#- as of as_of, the champion grid's matches count, but not a scanner's click nor an event before
            the contact's latest recycle (recycle_mode reset) #}
        and grid_role = 'champion'
        and not is_scanner_click
        and not is_reset_by_recycle
),

latest as (
    select
        *,
        max(occurred_at) over (partition by contact_id, rule_id, scored_product_line) as last_occurred_at
    from matches
),

sums as (
    select
        contact_id,
        rule_id,
        scored_product_line as product_line,
        max(half_life_days) as half_life_days,
        max(raw_points) as rule_points,
        count(*) as occurrences,
        sum(raw_points) as raw_points,
        max(last_occurred_at) as last_occurred_at,
        sum(
            power(
                0.5,
                {{ leadscore.age_days(
                    leadscore.epoch_seconds('last_occurred_at'), leadscore.epoch_seconds('occurred_at')
                ) }} / half_life_days
            )
        ) as decay_weight
    from latest
    group by contact_id, rule_id, scored_product_line
),

{# computed_as_of, loaded_through and inputs_key of this build, computed once #}
bookkeeping as (
    select
        {{ leadscore.as_of_timestamp() }} as computed_as_of,
        {{ leadscore.engagement_loaded_through() }} as loaded_through,
        {{ leadscore.engagement_inputs_key() }} as inputs_key
),

final as (
    select
        {{ dbt.concat(['sums.contact_id', "'|'", 'sums.rule_id', "'|'", "coalesce(sums.product_line, '')"]) }} as contact_rule_product_id,
        sums.contact_id,
        sums.rule_id,
        sums.product_line,
        sums.half_life_days,
        sums.rule_points,
        sums.occurrences,
        sums.raw_points,
        sums.last_occurred_at,
        sums.decay_weight,
        bookkeeping.computed_as_of,
        bookkeeping.loaded_through,
        bookkeeping.inputs_key
    from sums
    cross join bookkeeping
)

select * from final
