{#- The guide's ROI table: the roi_window_days before the scoring go-live (var roi_cutover_date; null:
    as_of minus roi_window_days) against the roi_window_days after it (up to as_of). Per period:
    leads passed to sales (first change to mql_status in the period), the share sales accepted (a
    later change to a stage after mql_status in funnel_stages), the opportunities they became, the
    win rate of those closed, the median days from hand-off to a won deal, and revenue per won deal.
    Outcomes are counted up to as_of, so the later period has had less time to close. -#}
{%- set window_days = leadscore.number_var('roi_window_days') -%}
{%- set cutover_text = var('roi_cutover_date', none) -%}
{%- if cutover_text is none or (cutover_text | string | trim) == '' -%}
    {%- set cutover = dbt.dateadd('second', -(window_days * 86400) | int, leadscore.as_of_timestamp()) -%}
{%- else -%}
    {%- set cutover = "cast('" ~ (cutover_text | string | trim) ~ " 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
{%- endif -%}
{%- set accepted_statuses = leadscore.funnel_statuses_from('mql_status', inclusive=false) -%}

with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

opportunities as (
    select * from {{ ref('int_opportunities') }}
),

periods as (
    select
        'before' as period,
        1 as period_order,
        {{ dbt.dateadd('second', -(window_days * 86400) | int, cutover) }} as period_start,
        {{ cutover }} as period_end
    union all
    select
        'after' as period,
        2 as period_order,
        {{ cutover }} as period_start,
        case
            when {{ dbt.dateadd('second', (window_days * 86400) | int, cutover) }} < {{ leadscore.as_of_timestamp() }}
                then {{ dbt.dateadd('second', (window_days * 86400) | int, cutover) }}
            else {{ leadscore.as_of_timestamp() }}
        end as period_end
),

changes as (
    select *
    from status_changes
    where changed_at <= {{ leadscore.as_of_timestamp() }}
),

handoffs as (
    select
        periods.period,
        changes.contact_id,
        min(changes.changed_at) as mql_at
    from periods
    inner join changes
        on
            periods.period_start <= changes.changed_at
            and periods.period_end > changes.changed_at
    where changes.status = '{{ var("mql_status") | string | trim | lower }}'
    group by periods.period, changes.contact_id
),

acceptances as (
    select
        handoffs.period,
        handoffs.contact_id
    from handoffs
    inner join changes
        on
            handoffs.contact_id = changes.contact_id
            and handoffs.mql_at < changes.changed_at
            and changes.status in ({{ leadscore.sql_string_list(accepted_statuses, 'funnel_stages') }})
    group by handoffs.period, handoffs.contact_id
),

deals as (
    select
        handoffs.period,
        opportunities.opportunity_id,
        opportunities.is_closed and opportunities.closed_at <= {{ leadscore.as_of_timestamp() }} as is_closed,
        opportunities.is_won and opportunities.closed_at <= {{ leadscore.as_of_timestamp() }} as is_won,
        opportunities.amount,
        (
            {{ leadscore.epoch_seconds('opportunities.closed_at') }} - {{ leadscore.epoch_seconds('handoffs.mql_at') }}
        ) / 86400.0 as days_to_close
    from handoffs
    inner join opportunities
        on
            handoffs.contact_id = opportunities.contact_id
            and handoffs.mql_at <= opportunities.created_at
            and opportunities.created_at <= {{ leadscore.as_of_timestamp() }}
),

lead_counts as (
    select
        handoffs.period,
        count(*) as leads_passed,
        count(acceptances.contact_id) as leads_accepted
    from handoffs
    left join acceptances
        on
            handoffs.period = acceptances.period
            and handoffs.contact_id = acceptances.contact_id
    group by handoffs.period
),

deal_counts as (
    select
        period,
        count(*) as opportunities,
        sum(case when is_closed then 1 else 0 end) as closed_deals,
        sum(case when is_won then 1 else 0 end) as won_deals,
        {{ leadscore.percentile('case when is_won then days_to_close end', 0.5) }} as median_days_mql_to_won,
        avg(case when is_won then amount end) as revenue_per_won_deal,
        sum(case when is_won then amount else 0 end) as won_revenue
    from deals
    group by period
),

final as (
    select
        periods.period,
        periods.period_order,
        periods.period_start,
        periods.period_end,
        coalesce(lead_counts.leads_passed, 0) as leads_passed,
        coalesce(lead_counts.leads_accepted, 0) as leads_accepted,
        case
            when lead_counts.leads_passed > 0 then 100.0 * lead_counts.leads_accepted / lead_counts.leads_passed
        end as acceptance_pct,
        coalesce(deal_counts.opportunities, 0) as opportunities,
        coalesce(deal_counts.closed_deals, 0) as closed_deals,
        coalesce(deal_counts.won_deals, 0) as won_deals,
        case
            when deal_counts.closed_deals > 0 then 100.0 * deal_counts.won_deals / deal_counts.closed_deals
        end as win_rate_pct,
        deal_counts.median_days_mql_to_won,
        deal_counts.revenue_per_won_deal,
        coalesce(deal_counts.won_revenue, 0) as won_revenue
    from periods
    left join lead_counts
        on periods.period = lead_counts.period
    left join deal_counts
        on periods.period = deal_counts.period
)

select * from final
