{#- One row per contact and scoring day (the UTC date of as_of), appended by every build: the
    trend of each lead and when it moved. A build replaces the rows of its own day and leaves the
    other days alone, so `leadscore build --as-of` backfills a past day and re-running a day never
    duplicates it (delete+insert on scoring_date; on Spark insert_overwrite of its partition).
    Compact: a contact with no points at all (fit, engagement and adjustments all zero) is left
    out, unless it had points on the previous scored day (so the drop to zero is recorded); a
    contact absent from a scored day scored zero that day. --full-refresh does not rebuild it
    (full_refresh = false): the past cannot be rescored from today's contacts. A column added to its
    contract is added to the table (on_schema_change append_new_columns), empty on the days before. -#}
{{ config(
    materialized='incremental',
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    unique_key=(none if target.type == 'spark' else 'scoring_date'),
    partition_by=(['scoring_date'] if target.type == 'spark' else none),
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

{% if is_incremental() %}
    history as (
        select * from {{ this }}
    ),

    previous_day as (
        select max(scoring_date) as scoring_date
        from history
        where scoring_date < cast({{ leadscore.as_of_timestamp() }} as date)
    ),

    scored_previous_day as (
        select history.contact_id
        from history
        inner join previous_day
            on history.scoring_date = previous_day.scoring_date
        where history.has_points
    ),
{% else %}
    scored_previous_day as (
        select contact_id
        from lead_scores
        where 1 = 0
    ),
{% endif %}

scored as (
    select
        contact_id,
        cast(as_of as date) as scoring_date,
        as_of,
        lead_score,
        fit_score,
        engagement_score,
        adjustment_points,
        grade,
        tier,
        is_mql,
        fit_score <> 0 or engagement_score <> 0 or adjustment_points <> 0 as has_points
    from lead_scores
),

final as (
    select
        {{ dbt.concat(['scored.contact_id', "'|'", 'cast(scored.scoring_date as ' ~ dbt.type_string() ~ ')']) }}
            as history_id,
        scored.*
    from scored
    left join scored_previous_day
        on scored.contact_id = scored_previous_day.contact_id
    where
        scored.has_points
        or scored_previous_day.contact_id is not null
)

select * from final
