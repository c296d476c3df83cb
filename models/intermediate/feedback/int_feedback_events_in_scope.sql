{#- The events the engine would score at each scoring instant (int_scoring_instants) but
    the champion's at as_of (scored from the running sums): only what was known then. Events up to the instant; with bot_filter, not a scanner's click as
    flagged at the instant; with recycle_mode reset, none before the contact's latest recycle at or
    before the instant (one at the very second of the recycle counts). Read by the backtest's
    scoring (int_feedback_events_scored) and by what rule discovery reads of each lead's
    engagement (backtest_lead_engagement). -#}
{{ config(materialized='view') }}
{%- set drop_bot_clicks = leadscore.sql_boolean(leadscore.bool_var('bot_filter')) -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}

with

{# at as_of the champion's engagement comes from the running sums (int_engagement_rule_totals) #}
instants as (
    select * from {{ ref('int_scoring_instants') }}
    where not (purpose = 'current' and grid_role = 'champion')
),

events as (
    select * from {{ ref('int_events') }}
),

bot_clicks as (
    select * from {{ ref('int_feedback_clicks_bot_flagged') }}
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
),

recycles as (
    select
        instants.scoring_id,
        max(contact_recycles.recycled_at) as recycled_at
    from instants
    inner join contact_recycles
        on
            instants.contact_id = contact_recycles.contact_id
            and instants.scored_at >= contact_recycles.recycled_at
    group by instants.scoring_id
),

final as (
    select
        instants.scoring_id,
        instants.contact_id,
        instants.purpose,
        instants.grid_role,
        events.event_id,
        events.event_type,
        events.url,
        events.asset,
        events.campaign,
        events.occurred_at,
        {{ leadscore.age_days(
            leadscore.epoch_seconds('instants.scored_at'), leadscore.epoch_seconds('events.occurred_at')
        ) }} as age_days
    from instants
    inner join events
        on
            instants.contact_id = events.contact_id
            and instants.scored_at >= events.occurred_at
    left join bot_clicks
        on
            instants.scoring_id = bot_clicks.scoring_id
            and events.event_id = bot_clicks.event_id
    left join recycles
        on instants.scoring_id = recycles.scoring_id
    where
        not ({{ drop_bot_clicks }} and coalesce(bot_clicks.is_bot_click, false))
        and not ({{ reset_on_recycle }} and coalesce(events.occurred_at < recycles.recycled_at, false))
)

select * from final
