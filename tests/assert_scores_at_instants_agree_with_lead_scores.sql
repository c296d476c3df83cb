{#- mql_events scores contacts at past instants in int_lead_scores_at_instants; at as_of it
    must give lead_scores' own score, for every contact it evaluates; and every contact at or over
    mql_threshold at as_of is evaluated (none is left out by the bound that picks candidates), and
    has a current crossing in mql_events. Returns every disagreement. -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}

with

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
    where is_as_of
),

current_crossings as (
    select contact_id from {{ ref('mql_events') }}
    where is_current
),

final as (
    select
        lead_scores.contact_id,
        lead_scores.lead_score,
        instant_scores.lead_score as lead_score_at_as_of,
        current_crossings.contact_id is not null as has_current_crossing
    from lead_scores
    left join instant_scores
        on lead_scores.contact_id = instant_scores.contact_id
    left join current_crossings
        on lead_scores.contact_id = current_crossings.contact_id
    where
        abs(lead_scores.lead_score - instant_scores.lead_score) > 0.000001
        or (lead_scores.lead_score >= {{ mql_threshold }} and instant_scores.contact_id is null)
        or ((lead_scores.lead_score >= {{ mql_threshold }}) <> (current_crossings.contact_id is not null))
)

select * from final
