{#- Scanner clicks as known at each scoring instant (int_scoring_instants). A click right
    after its campaign's delivery is flagged as in int_email_clicks_bot_flagged (that only looks at
    earlier deliveries); a burst is found again among the clicks made up to the instant only, so a
    click after it can never turn an earlier click into a scanner's. -#}
{%- set click_seconds = leadscore.number_var('bot_click_seconds') -%}
{%- set burst_clicks = leadscore.number_var('bot_burst_clicks') | int -%}
{%- set burst_seconds = leadscore.number_var('bot_burst_seconds') -%}

with

{# at as_of the champion's clicks are those of int_email_clicks_bot_flagged #}
instants as (
    select * from {{ ref('int_scoring_instants') }}
    where not (purpose = 'current' and grid_role = 'champion')
),

flagged_clicks as (
    select * from {{ ref('int_email_clicks_bot_flagged') }}
),

clicks as (
    select
        instants.scoring_id,
        flagged_clicks.event_id,
        flagged_clicks.seconds_after_delivery,
        {{ leadscore.epoch_seconds('flagged_clicks.occurred_at') }} as occurred_epoch
    from instants
    inner join flagged_clicks
        on
            instants.contact_id = flagged_clicks.contact_id
            and instants.scored_at >= flagged_clicks.occurred_at
),

burst_windows as (
    select
        scoring_id,
        event_id,
        occurred_epoch,
        count(*) over (
            partition by scoring_id
            order by occurred_epoch
            range between current row and {{ burst_seconds }} following
        ) as clicks_in_window
    from clicks
),

burst_members as (
    select
        scoring_id,
        event_id,
        max(case when clicks_in_window >= {{ burst_clicks }} then 1 else 0 end) over (
            partition by scoring_id
            order by occurred_epoch
            range between {{ burst_seconds }} preceding and current row
        ) as is_in_burst
    from burst_windows
),

final as (
    select
        {{ dbt.concat(['clicks.scoring_id', "'|'", 'clicks.event_id']) }} as scoring_click_id,
        clicks.scoring_id,
        clicks.event_id,
        coalesce(clicks.seconds_after_delivery < {{ click_seconds }}, false)
        or burst_members.is_in_burst = 1 as is_bot_click
    from clicks
    inner join burst_members
        on
            clicks.scoring_id = burst_members.scoring_id
            and clicks.event_id = burst_members.event_id
)

select * from final
