{#- With exponential decay, int_lead_scores_at_instants scores instants from running sums per
    contact and stream of rules (macro instant_engagement_running_sums). This test scores the same
    instants of about 5,000 contacts (all of them on a smaller data set; the same contacts at every
    build, drawn by hash) the direct way, each instant paired with every earlier event of its
    contact (macro instant_engagement_pairwise), and returns every instant where the two differ by
    more than 1e-6. Other decay methods already use the pairing: nothing to compare. -#}
{%- set exponential = leadscore.choice_var('decay_method') == 'exponential' -%}

with

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
    where grid_role = 'champion'
),

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

score_adjustments as (
    select * from {{ ref('int_score_adjustments') }}
),

settings as (
    select * from {{ ref('stg_grid__settings') }}
),

evaluated_contacts as (
    select distinct contact_id
    from instant_scores
),

contact_count as (
    select count(*) as contacts
    from evaluated_contacts
),

sampled_contacts as (
    select evaluated_contacts.contact_id
    from evaluated_contacts
    cross join contact_count
    where
        {{ leadscore.sql_boolean(exponential) }}
        and {{ leadscore.hash_fraction('evaluated_contacts.contact_id') }} < 5000.0 / contact_count.contacts
),

instants as (
    select
        instant_scores.instant_key,
        instant_scores.contact_id,
        instant_scores.evaluated_epoch
    from instant_scores
    inner join sampled_contacts
        on instant_scores.contact_id = sampled_contacts.contact_id
),

{{ leadscore.instant_scoring_inputs('sampled_contacts') }},

{{ leadscore.lead_score_at_instants(
    'paired_scores', 'instants', 'event_matches', 'recycles', 'adjustments', 'fit_scores', 'settings',
    engagement='pairwise'
) }},

final as (
    select
        instant_scores.instant_key,
        instant_scores.lead_score as running_sum_score,
        paired_scores.lead_score as paired_score
    from paired_scores
    inner join instant_scores
        on paired_scores.instant_key = instant_scores.instant_key
    where
        abs(instant_scores.lead_score - paired_scores.lead_score) > 0.000001
        or abs(instant_scores.engagement_score - paired_scores.engagement_score) > 0.000001
)

select * from final
