{#- Every click (var bot_click_event_type) up to as_of, flagged when a scanner made it: less than
    bot_click_seconds after the delivery of the same campaign to the same contact, or one of
    bot_burst_clicks clicks or more by one contact within bot_burst_seconds. -#}
{%- set click_seconds = leadscore.number_var('bot_click_seconds') -%}
{%- set burst_clicks = leadscore.number_var('bot_burst_clicks') | int -%}
{%- set burst_seconds = leadscore.number_var('bot_burst_seconds') -%}

with

events as (
    select * from {{ ref('int_events') }}
),

clicks as (
    select
        event_id,
        contact_id,
        campaign,
        occurred_at,
        {{ leadscore.epoch_seconds('occurred_at') }} as occurred_epoch
    from events
    where
        event_type = lower('{{ var("bot_click_event_type") }}')
        and occurred_at <= {{ leadscore.as_of_timestamp() }}
),

deliveries as (
    select
        contact_id,
        campaign,
        {{ leadscore.epoch_seconds('occurred_at') }} as delivered_epoch
    from events
    where
        event_type = lower('{{ var("bot_delivery_event_type") }}')
        and occurred_at <= {{ leadscore.as_of_timestamp() }}
),

{# the delay since the latest delivery of the same campaign at or before the click #}
click_delays as (
    select
        clicks.event_id,
        min(clicks.occurred_epoch - deliveries.delivered_epoch) as seconds_after_delivery
    from clicks
    inner join deliveries
        on
            clicks.contact_id = deliveries.contact_id
            and clicks.campaign = deliveries.campaign
            and clicks.occurred_epoch >= deliveries.delivered_epoch
    group by clicks.event_id
),

{# clicks_in_window: this click and the contact's clicks up to bot_burst_seconds after it #}
burst_windows as (
    select
        event_id,
        contact_id,
        occurred_epoch,
        count(*) over (
            partition by contact_id
            order by occurred_epoch
            range between current row and {{ burst_seconds }} following
        ) as clicks_in_window
    from clicks
),

{# a click is in a burst when a window that starts at most bot_burst_seconds before it is full #}
burst_members as (
    select
        event_id,
        max(case when clicks_in_window >= {{ burst_clicks }} then 1 else 0 end) over (
            partition by contact_id
            order by occurred_epoch
            range between {{ burst_seconds }} preceding and current row
        ) as is_in_burst
    from burst_windows
),

final as (
    select
        clicks.event_id,
        clicks.contact_id,
        clicks.campaign,
        clicks.occurred_at,
        click_delays.seconds_after_delivery,
        case
            when click_delays.seconds_after_delivery < {{ click_seconds }} then 'click_after_delivery'
            when burst_members.is_in_burst = 1 then 'click_burst'
        end as bot_reason,
        coalesce(click_delays.seconds_after_delivery < {{ click_seconds }}, false)
        or burst_members.is_in_burst = 1 as is_bot_click
    from clicks
    left join click_delays
        on clicks.event_id = click_delays.event_id
    inner join burst_members
        on clicks.event_id = burst_members.event_id
)

select * from final
