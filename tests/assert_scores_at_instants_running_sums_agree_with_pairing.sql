{#- With exponential decay, int_lead_scores_at_instants scores instants from running sums per
    contact and stream of rules. This test scores the engagement at the same instants of about 5,000
    contacts (all of them on a smaller data set; the same contacts at every build, drawn by hash) the
    direct way, each instant paired with every earlier event of its contact since the recycle in
    force, and returns every instant where the two differ by more than 1e-6. Other decay methods
    already use the pairing: nothing to compare. -#}
{%- set exponential = leadscore.choice_var('decay_method') == 'exponential' -%}
{%- set reset_on_recycle = leadscore.sql_boolean(leadscore.choice_var('recycle_mode') == 'reset') -%}

with

instant_scores as (
    select * from {{ ref('int_lead_scores_at_instants') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
),

contact_recycles as (
    select * from {{ ref('int_contact_recycles') }}
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
        instant_scores.evaluated_epoch,
        instant_scores.engagement_score
    from instant_scores
    inner join sampled_contacts
        on instant_scores.contact_id = sampled_contacts.contact_id
),

recycles as (
    select
        contact_id,
        {{ leadscore.epoch_seconds('recycled_at') }} as recycled_epoch
    from contact_recycles
),

recycles_in_force as (
    select
        instants.instant_key,
        max(recycles.recycled_epoch) as recycled_epoch
    from instants
    inner join recycles
        on
            instants.contact_id = recycles.contact_id
            and instants.evaluated_epoch >= recycles.recycled_epoch
            and {{ reset_on_recycle }}
    group by instants.instant_key
),

events_in_force as (
    select
        instants.instant_key,
        events_matched.rule_id,
        events_matched.max_points,
        events_matched.occurred_epoch,
        events_matched.is_unlock_rule,
        events_matched.raw_points * {{ leadscore.decay_factor(
            leadscore.age_days('instants.evaluated_epoch', 'events_matched.occurred_epoch'),
            'events_matched.half_life_days'
        ) }} as points
    from instants
    inner join events_matched
        on
            instants.contact_id = events_matched.contact_id
            and instants.evaluated_epoch >= events_matched.occurred_epoch
    left join recycles_in_force
        on instants.instant_key = recycles_in_force.instant_key
    where not ({{ reset_on_recycle }} and coalesce(events_matched.occurred_epoch < recycles_in_force.recycled_epoch, false))
),

rule_totals as (
    select
        instant_key,
        rule_id,
        {{ leadscore.capped_rule_points('sum(points)', 'max(max_points)') }} as points,
        max(occurred_epoch) as last_scored_epoch,
        max(is_unlock_rule) as has_unlock_event
    from events_in_force
    group by instant_key, rule_id
),

penalized as (
    select
        rule_totals.instant_key,
        sum(rule_totals.points)
        + case
            when {{ leadscore.is_inactive(
                leadscore.age_days('max(instants.evaluated_epoch)', 'max(rule_totals.last_scored_epoch)'),
                'max(settings.inactivity_days)'
            ) }}
                then max(settings.inactivity_points)
            else 0
        end as engagement_after_penalty,
        max(rule_totals.has_unlock_event) as has_unlock_event
    from rule_totals
    inner join instants
        on rule_totals.instant_key = instants.instant_key
    cross join settings
    group by rule_totals.instant_key
),

{# an instant without an event in force has no engagement #}
paired_engagement as (
    select
        instants.instant_key,
        instants.engagement_score as running_sum_engagement,
        coalesce(
            penalized.engagement_after_penalty
            + coalesce({{ leadscore.engagement_cap_points('penalized.engagement_after_penalty', 'penalized.has_unlock_event') }}, 0),
            0
        ) as paired_engagement
    from instants
    left join penalized
        on instants.instant_key = penalized.instant_key
),

final as (
    select
        instant_key,
        running_sum_engagement,
        paired_engagement
    from paired_engagement
    where abs(running_sum_engagement - paired_engagement) > 0.000001
)

select * from final
