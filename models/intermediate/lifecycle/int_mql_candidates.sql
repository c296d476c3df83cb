{#- The contacts that could ever reach mql_threshold, with their fit score: the contacts
    int_lead_scores_at_instants evaluates. A contact is a candidate when fit + positive
    adjustments + every positive rule's undecayed points (capped at max_points) + a positive
    inactivity_points reaches the threshold (decay never weighs more than 1), clamped like the
    lead score. Every contact is checked at every build: a grid, var or fit change can make one. -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
    where grid_role = 'champion'
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

score_adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

settings as (
    select * from {{ ref('stg_grid__settings') }}
),

fit_scores as (
    select
        contact_id,
        sum(points) as fit_score
    from fit_rules_applied
    group by contact_id
),

{# the most a rule can give: its undecayed points when positive, capped at max_points #}
rule_bounds as (
    select
        contact_id,
        rule_id,
        case
            when max(raw_points) <= 0 then 0
            when max(max_points) is null then sum(raw_points)
            else least(sum(raw_points), max(max_points))
        end as bound
    from events_matched
    group by contact_id, rule_id
),

engagement_bounds as (
    select
        contact_id,
        sum(bound) as bound
    from rule_bounds
    group by contact_id
),

adjustment_bounds as (
    select
        contact_id,
        sum(case when points > 0 then points else 0 end) as bound
    from score_adjustments
    where created_at <= {{ leadscore.as_of_timestamp() }}
    group by contact_id
),

score_bounds as (
    select
        contacts.contact_id,
        coalesce(fit_scores.fit_score, 0) as fit_score,
        coalesce(fit_scores.fit_score, 0)
        + coalesce(engagement_bounds.bound, 0)
        + coalesce(adjustment_bounds.bound, 0)
        + case when settings.inactivity_points > 0 then settings.inactivity_points else 0 end as score_bound
    from contacts
    cross join settings
    left join fit_scores
        on contacts.contact_id = fit_scores.contact_id
    left join engagement_bounds
        on contacts.contact_id = engagement_bounds.contact_id
    left join adjustment_bounds
        on contacts.contact_id = adjustment_bounds.contact_id
),

final as (
    select
        contact_id,
        fit_score,
        score_bound
    from score_bounds
    where {{ leadscore.clamp('score_bound', score_min, score_max) }} >= {{ mql_threshold }}
)

select * from final
