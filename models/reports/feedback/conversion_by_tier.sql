{#- Hot, warm and cold: contacts in each tier today, and how the backtest leads in the tier at their
    decision instant converted (champion grid; hot = mql_threshold or more then). -#}
with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

tiers as (
    select
        'hot' as tier,
        1 as tier_order
    union all
    select
        'warm' as tier,
        2 as tier_order
    union all
    select
        'cold' as tier,
        3 as tier_order
),

current_tiers as (
    select
        tier,
        count(*) as contacts,
        sum(case when is_mql then 1 else 0 end) as mqls
    from lead_scores
    group by tier
),

backtest_tiers as (
    select
        tier,
        count(*) as backtest_leads,
        sum(case when is_converted then 1 else 0 end) as backtest_converted_leads
    from backtest_scores
    where grid_role = 'champion'
    group by tier
),

final as (
    select
        tiers.tier,
        tiers.tier_order,
        coalesce(current_tiers.contacts, 0) as contacts,
        coalesce(current_tiers.mqls, 0) as mqls,
        coalesce(backtest_tiers.backtest_leads, 0) as backtest_leads,
        coalesce(backtest_tiers.backtest_converted_leads, 0) as backtest_converted_leads,
        case
            when backtest_tiers.backtest_leads > 0
                then cast(backtest_tiers.backtest_converted_leads as double) / backtest_tiers.backtest_leads
        end as backtest_conversion_rate
    from tiers
    left join current_tiers
        on tiers.tier = current_tiers.tier
    left join backtest_tiers
        on tiers.tier = backtest_tiers.tier
)

select * from final
