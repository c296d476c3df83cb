{#- Lead scores in 10-point bands ([0, 10), [10, 20), ...): how many contacts score in each band
    today, with negative bands and outliers flagged (scores beyond the quartiles -/+
    score_outlier_iqr_factor interquartile ranges: a sign of a scoring error or data to clean),
    and how the backtest leads of the band converted (champion grid, scored at their decision
    instant). -#}
{%- set iqr_factor = leadscore.number_var('score_outlier_iqr_factor') -%}

with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

backtest_scores as (
    select * from {{ ref('backtest_lead_scores') }}
),

quartiles as (
    select
        {{ leadscore.percentile('lead_score', 0.25) }} as first_quartile,
        {{ leadscore.percentile('lead_score', 0.75) }} as third_quartile
    from lead_scores
),

fences as (
    select
        first_quartile - {{ iqr_factor }} * (third_quartile - first_quartile) as low_fence,
        third_quartile + {{ iqr_factor }} * (third_quartile - first_quartile) as high_fence
    from quartiles
),

current_bands as (
    select
        floor(lead_scores.lead_score / 10) * 10 as band_floor,
        count(*) as contacts,
        sum(case when lead_scores.is_mql then 1 else 0 end) as mqls,
        sum(
            case
                when lead_scores.lead_score < fences.low_fence or lead_scores.lead_score > fences.high_fence then 1
                else 0
            end
        ) as outlier_contacts
    from lead_scores
    cross join fences
    group by floor(lead_scores.lead_score / 10) * 10
),

backtest_bands as (
    select
        floor(lead_score / 10) * 10 as band_floor,
        count(*) as backtest_leads,
        sum(case when is_converted then 1 else 0 end) as backtest_converted_leads
    from backtest_scores
    where grid_role = 'champion'
    group by floor(lead_score / 10) * 10
),

bands as (
    select band_floor from current_bands
    union
    select band_floor from backtest_bands
),

all_contacts as (
    select count(*) as contacts
    from lead_scores
),

final as (
    select
        cast(bands.band_floor as {{ dbt.type_bigint() }}) as band_floor,
        '[' || cast(cast(bands.band_floor as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}) || ', '
        || cast(cast(bands.band_floor + 10 as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}) || ')' as band,
        coalesce(current_bands.contacts, 0) as contacts,
        case
            when all_contacts.contacts > 0
                then 100.0 * coalesce(current_bands.contacts, 0) / all_contacts.contacts
        end as contact_pct,
        coalesce(current_bands.mqls, 0) as mqls,
        bands.band_floor < 0 as is_negative,
        coalesce(current_bands.outlier_contacts, 0) as outlier_contacts,
        coalesce(current_bands.outlier_contacts, 0) > 0 as has_outliers,
        coalesce(backtest_bands.backtest_leads, 0) as backtest_leads,
        coalesce(backtest_bands.backtest_converted_leads, 0) as backtest_converted_leads,
        case
            when backtest_bands.backtest_leads > 0
                then cast(backtest_bands.backtest_converted_leads as double) / backtest_bands.backtest_leads
        end as backtest_conversion_rate
    from bands
    cross join all_contacts
    left join current_bands
        on bands.band_floor = current_bands.band_floor
    left join backtest_bands
        on bands.band_floor = backtest_bands.band_floor
)

select * from final
