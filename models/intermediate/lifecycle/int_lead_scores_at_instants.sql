{#- The lead score of a contact at every instant where it can jump, and one second before each,
    as a build with that as_of would compute it (macro lead_score_at_instants): the raw material
    of mql_events.

    Between two such instants no event, adjustment or recycle happens, so the score only moves
    continuously (decay). The instants, whole seconds up to as_of: each scored event's instant
    (rounded up to the second: as_of has whole seconds), each adjustment's start and expiry, each
    recycle, the second the inactivity penalty starts after an event followed by none within
    inactivity_days, with decay_method window the second an event leaves the window, and as_of.

    Only contacts that could ever reach mql_threshold are evaluated: fit + positive adjustments +
    every positive rule's undecayed points (capped at max_points) + a positive inactivity_points
    must reach it (decay never weighs more than 1), clamped like the lead score.

    With exponential decay the scores come from running sums per contact and stream of rules
    (cost in proportion to instants x streams); other decay methods pair each instant with the
    earlier events of its contact. -#}
{%- set mql_threshold = leadscore.number_var('mql_threshold') -%}
{%- set score_min = leadscore.number_var('lead_score_min', allow_null=true) -%}
{%- set score_max = leadscore.number_var('lead_score_max', allow_null=true) -%}
{%- set decay_method = leadscore.choice_var('decay_method', ['exponential', 'linear', 'window', 'none']) -%}
{%- set window_decay = decay_method == 'window' -%}
{%- set as_of_epoch = leadscore.epoch_seconds(leadscore.as_of_timestamp()) -%}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

fit_rules_applied as (
    select * from {{ ref('int_fit_rules_applied') }}
),

events_matched as (
    select * from {{ ref('int_engagement_events_matched') }}
),

status_changes as (
    select * from {{ ref('stg_raw__lead_status_changes') }}
),

score_adjustments as (
    select * from {{ ref('stg_raw__score_adjustments') }}
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

all_adjustments as (
    select
        contact_id,
        points,
        {{ leadscore.epoch_seconds('created_at') }} as created_epoch,
        {{ leadscore.epoch_seconds('expires_at') }} as expires_epoch
    from score_adjustments
    where created_at <= {{ leadscore.as_of_timestamp() }}
),

all_recycles as (
    select
        contact_id,
        {{ leadscore.epoch_seconds('changed_at') }} as recycled_epoch
    from status_changes
    where
        status = lower('{{ var("recycle_status") }}')
        and changed_at <= {{ leadscore.as_of_timestamp() }}
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
    from all_adjustments
    group by contact_id
),

score_bounds as (
    select
        contacts.contact_id,
        coalesce(fit_scores.fit_score, 0)
        + coalesce(engagement_bounds.bound, 0)
        + coalesce(adjustment_bounds.bound, 0)
        + case when settings.inactivity_points > 0 then settings.inactivity_points else 0 end as bound
    from contacts
    cross join settings
    left join fit_scores
        on contacts.contact_id = fit_scores.contact_id
    left join engagement_bounds
        on contacts.contact_id = engagement_bounds.contact_id
    left join adjustment_bounds
        on contacts.contact_id = adjustment_bounds.contact_id
),

candidates as (
    select contact_id
    from score_bounds
    where {{ leadscore.clamp('bound', score_min, score_max) }} >= {{ mql_threshold }}
),

event_matches as (
    select events_matched.*
    from events_matched
    inner join candidates
        on events_matched.contact_id = candidates.contact_id
),

recycles as (
    select all_recycles.*
    from all_recycles
    inner join candidates
        on all_recycles.contact_id = candidates.contact_id
),

adjustments as (
    select all_adjustments.*
    from all_adjustments
    inner join candidates
        on all_adjustments.contact_id = candidates.contact_id
),

event_instants as (
    select distinct
        contact_id,
        occurred_epoch
    from event_matches
),

{# the penalty starts once the last event is older than inactivity_days: only after an event
   that no other event follows within that time #}
event_gaps as (
    select
        contact_id,
        occurred_epoch,
        lead(occurred_epoch) over (partition by contact_id order by occurred_epoch) as next_epoch
    from event_instants
),

jump_instants as (
    select
        contact_id,
        ceil(occurred_epoch) as instant_epoch
    from event_instants
    union all
    select
        contact_id,
        ceil(created_epoch) as instant_epoch
    from adjustments
    union all
    select
        contact_id,
        ceil(expires_epoch) as instant_epoch
    from adjustments
    where expires_epoch is not null
    union all
    select
        contact_id,
        ceil(recycled_epoch) as instant_epoch
    from recycles
    union all
    select
        event_gaps.contact_id,
        floor(event_gaps.occurred_epoch + settings.inactivity_days * 86400.0) + 1 as instant_epoch
    from event_gaps
    cross join settings
    where
        event_gaps.next_epoch is null
        or event_gaps.next_epoch > event_gaps.occurred_epoch + settings.inactivity_days * 86400.0
    {%- if window_decay %}
    union all
    select
        contact_id,
        floor(occurred_epoch + 2.0 * half_life_days * 86400.0) + 1 as instant_epoch
    from event_matches
    {%- endif %}
),

evaluation_instants as (
    select
        contact_id,
        instant_epoch as evaluated_epoch
    from jump_instants
    union all
    select
        contact_id,
        instant_epoch - 1 as evaluated_epoch
    from jump_instants
    union all
    select
        contact_id,
        {{ as_of_epoch }} as evaluated_epoch
    from candidates
),

instants as (
    select distinct
        {{ dbt.concat([
            'contact_id', "'|'",
            'cast(cast(evaluated_epoch as ' ~ dbt.type_bigint() ~ ') as ' ~ dbt.type_string() ~ ')'
        ]) }} as instant_key,
        contact_id,
        cast(evaluated_epoch as double) as evaluated_epoch
    from evaluation_instants
    where evaluated_epoch <= {{ as_of_epoch }}
),

{{ leadscore.lead_score_at_instants(
    'instant_scores', 'instants', 'event_matches', 'recycles', 'adjustments', 'fit_scores', 'settings',
    running_sums=decay_method == 'exponential'
) }},

final as (
    select
        instant_key,
        contact_id,
        evaluated_epoch,
        {{ leadscore.timestamp_from_epoch('evaluated_epoch') }} as evaluated_at,
        evaluated_epoch = {{ as_of_epoch }} as is_as_of,
        fit_score,
        engagement_score,
        adjustment_points,
        lead_score
    from instant_scores
)

select * from final
