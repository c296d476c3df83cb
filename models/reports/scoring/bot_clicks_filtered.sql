{# Scanner clicks per campaign and day: what bot filtering kept out of the scores. #}
with

bot_clicks as (
    select * from {{ ref('int_email_clicks_bot_flagged') }}
),

final as (
    select
        {{ dbt.concat(["coalesce(campaign, '(none)')", "'|'", "cast(cast(occurred_at as date) as " ~ dbt.type_string() ~ ")"]) }}
            as campaign_day_id,
        coalesce(campaign, '(none)') as campaign,
        cast(occurred_at as date) as click_date,
        count(*) as clicks,
        sum(case when is_bot_click then 1 else 0 end) as bot_clicks,
        sum(case when bot_reason = 'click_after_delivery' then 1 else 0 end) as clicks_right_after_delivery,
        sum(case when bot_reason = 'click_burst' then 1 else 0 end) as clicks_in_bursts,
        {{ leadscore.sql_boolean(leadscore.bool_var('bot_filter')) }} as is_filtered
    from bot_clicks
    group by coalesce(campaign, '(none)'), cast(occurred_at as date)
)

select * from final
