{#- What became of the leads handed to sales (a change to var mql_status in lead_status_changes, up
    to as_of), by month of their first hand-off and for all of them ('all'): accepted by sales (a
    later change to a stage after mql_status in funnel_stages), qualified (sql_status or a later
    stage), turned into an opportunity (created at or after the hand-off), won; and the median days
    from the hand-off to the first SQL and to the opportunity. -#}
{%- set accepted_statuses = leadscore.funnel_statuses_from('mql_status', inclusive=false) -%}
{%- set sql_statuses = leadscore.funnel_statuses_from('sql_status') -%}

with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

opportunities as (
    select * from {{ ref('int_opportunities') }}
),

changes as (
    select *
    from status_changes
    where changed_at <= {{ leadscore.as_of_timestamp() }}
),

first_mqls as (
    select
        contact_id,
        min(changed_at) as mql_at
    from changes
    where status = '{{ var("mql_status") | string | trim | lower }}'
    group by contact_id
),

progress as (
    select
        first_mqls.contact_id,
        min(
            case
                when changes.status in ({{ leadscore.sql_string_list(accepted_statuses, 'funnel_stages') }})
                    then changes.changed_at
            end
        ) as accepted_at,
        min(
            case
                when changes.status in ({{ leadscore.sql_string_list(sql_statuses, 'funnel_stages') }})
                    then changes.changed_at
            end
        ) as sql_at
    from first_mqls
    inner join changes
        on
            first_mqls.contact_id = changes.contact_id
            and first_mqls.mql_at < changes.changed_at
    group by first_mqls.contact_id
),

deals as (
    select
        first_mqls.contact_id,
        min(opportunities.created_at) as opportunity_at,
        max(
            case
                when opportunities.is_won and opportunities.closed_at <= {{ leadscore.as_of_timestamp() }} then 1
                else 0
            end
        ) as has_won
    from first_mqls
    inner join opportunities
        on
            first_mqls.contact_id = opportunities.contact_id
            and first_mqls.mql_at <= opportunities.created_at
            and opportunities.created_at <= {{ leadscore.as_of_timestamp() }}
    group by first_mqls.contact_id
),

mqls as (
    select
        first_mqls.contact_id,
        substring(cast(cast({{ dbt.date_trunc('month', 'first_mqls.mql_at') }} as date) as {{ dbt.type_string() }}), 1, 7)
            as mql_month,
        progress.accepted_at is not null as is_accepted,
        progress.sql_at is not null as is_sql,
        deals.opportunity_at is not null as has_opportunity,
        coalesce(deals.has_won, 0) = 1 as is_won,
        (
            {{ leadscore.epoch_seconds('progress.sql_at') }} - {{ leadscore.epoch_seconds('first_mqls.mql_at') }}
        ) / 86400.0 as days_to_sql,
        (
            {{ leadscore.epoch_seconds('deals.opportunity_at') }} - {{ leadscore.epoch_seconds('first_mqls.mql_at') }}
        ) / 86400.0 as days_to_opportunity
    from first_mqls
    left join progress
        on first_mqls.contact_id = progress.contact_id
    left join deals
        on first_mqls.contact_id = deals.contact_id
),

cohorts as (
    select
        mql_month as mql_cohort,
        is_accepted,
        is_sql,
        has_opportunity,
        is_won,
        days_to_sql,
        days_to_opportunity
    from mqls
    union all
    select
        'all' as mql_cohort,
        is_accepted,
        is_sql,
        has_opportunity,
        is_won,
        days_to_sql,
        days_to_opportunity
    from mqls
),

counted as (
    select
        mql_cohort,
        count(*) as mqls,
        sum(case when is_accepted then 1 else 0 end) as accepted,
        sum(case when is_sql then 1 else 0 end) as became_sql,
        sum(case when has_opportunity then 1 else 0 end) as became_opportunity,
        sum(case when is_won then 1 else 0 end) as won,
        {{ leadscore.percentile('days_to_sql', 0.5) }} as median_days_to_sql,
        {{ leadscore.percentile('days_to_opportunity', 0.5) }} as median_days_to_opportunity
    from cohorts
    group by mql_cohort
),

final as (
    select
        mql_cohort,
        mqls,
        accepted,
        100.0 * accepted / mqls as accepted_pct,
        became_sql,
        100.0 * became_sql / mqls as sql_pct,
        became_opportunity,
        100.0 * became_opportunity / mqls as opportunity_pct,
        won,
        100.0 * won / mqls as won_pct,
        median_days_to_sql,
        median_days_to_opportunity
    from counted
)

select * from final
