{#- The lead score of a contact at every instant where it can jump, and one second before each,
    as a build with that as_of would compute it (macro lead_score_at_instants): the raw material
    of mql_events.

    Between two such instants no event, adjustment or recycle happens, so the score only moves
    continuously (decay). The instants, whole seconds up to as_of: each scored event's instant
    (rounded up to the second: as_of has whole seconds), each adjustment's start and expiry, each
    recycle, the second the inactivity penalty starts after an event followed by none within
    inactivity_days, with decay_method window the second an event leaves the window, and as_of.

    Only the contacts of int_mql_candidates (those that could ever reach mql_threshold) are
    evaluated.

    With exponential decay the scores come from running sums per contact and stream of rules
    (cost in proportion to instants x streams); other decay methods pair each instant with the
    earlier events of its contact.

    Incremental on DuckDB (macros/lifecycle/incremental_instants.sql): a build rescores every
    instant of the touched candidates, and brings the untouched ones forward: their rows before
    the stored as_of are kept, and their instants from then to as_of are scored from
    int_engagement_rule_sums (no event happened since, so each rule's decayed total is its running
    sum brought forward). -#}
{{ config(
    materialized=leadscore.engagement_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ leadscore.instants_incremental_pre_hook() }}"
) }}
{%- set decay_method = leadscore.choice_var('decay_method') -%}
{%- set window_decay = decay_method == 'window' -%}
{%- set as_of_epoch = leadscore.epoch_seconds(leadscore.as_of_timestamp()) -%}
{%- set state = leadscore.instants_incremental_state() -%}
{%- set since_epoch = leadscore.instants_since_epoch(state) -%}
{%- set stored_filter = '1 = 1' if state.reuse else '1 = 0' -%}
{%- set unlock_rules = var('engagement_cap_unlock_rules', []) -%}

with

candidates as (
    select * from {{ ref('int_mql_candidates') }}
),

events_matched as (
    select * from {{ ref('int_engagement_event_matches') }}
    where grid_role = 'champion' and not is_scanner_click
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

rule_sums as (
    select * from {{ ref('int_engagement_rule_sums') }}
),

engagement_rules as (
    select * from {{ ref('stg_grid__engagement_rules') }}
),

{# after the pre-hook: the candidates whose instants before the stored as_of are kept (none on a
   full build) #}
stored_contacts as (
    select distinct contact_id
    from {{ leadscore.instants_stored_rows(state) }}
    where {{ stored_filter }}
),

rescored_contacts as (
    select
        candidates.contact_id,
        candidates.fit_score
    from candidates
    left join stored_contacts
        on candidates.contact_id = stored_contacts.contact_id
    where stored_contacts.contact_id is null
),

brought_forward_contacts as (
    select
        candidates.contact_id,
        candidates.fit_score
    from candidates
    inner join stored_contacts
        on candidates.contact_id = stored_contacts.contact_id
),

{# ---- rescored contacts: every instant ---- #}

{{ leadscore.instant_event_inputs('rescored_contacts') }},

{{ leadscore.instants_to_score('rescored_instants', 'event_matches', 'adjustments', 'recycles', 'rescored_contacts',
    '-1.0e18', as_of_epoch, window_decay) }},

{{ leadscore.lead_score_at_instants(
    'rescored_scores', 'rescored_instants', 'event_matches', 'recycles', 'adjustments', 'rescored_contacts', 'settings',
    engagement='running_sums' if decay_method == 'exponential' else 'pairwise'
) }},

{# ---- brought-forward contacts: the instants from the stored as_of on. An inactivity start
   then comes from an event at most inactivity_days (and a second) older. ---- #}

{{ leadscore.instant_event_inputs('brought_forward_contacts', 'brought_forward_') }},

recent_event_matches as (
    select brought_forward_event_matches.*
    from brought_forward_event_matches
    cross join settings
    where brought_forward_event_matches.occurred_epoch >= {{ since_epoch }} - settings.inactivity_days * 86400.0 - 2.0
),

brought_forward_rule_sums as (
    select
        rule_sums.contact_id,
        rule_sums.rule_id,
        rule_sums.rule_points,
        rule_sums.decay_weight,
        rule_sums.half_life_days,
        {{ leadscore.epoch_seconds('rule_sums.last_occurred_at') }} as last_occurred_epoch,
        engagement_rules.max_points,
        case
            when rule_sums.rule_id in ({{ leadscore.sql_string_list(unlock_rules, 'engagement_cap_unlock_rules') }}) then 1
            else 0
        end as is_unlock_rule
    from rule_sums
    inner join brought_forward_contacts
        on rule_sums.contact_id = brought_forward_contacts.contact_id
    inner join engagement_rules
        on rule_sums.rule_id = engagement_rules.rule_id
),

{{ leadscore.instants_to_score('brought_forward_instants', 'recent_event_matches', 'brought_forward_adjustments',
    'brought_forward_recycles', 'brought_forward_contacts', since_epoch, as_of_epoch, false) }},

{{ leadscore.lead_score_at_instants(
    'brought_forward_scores', 'brought_forward_instants', 'brought_forward_rule_sums', 'brought_forward_recycles',
    'brought_forward_adjustments', 'brought_forward_contacts', 'settings', engagement='rule_sums'
) }},

instant_scores as (
    select * from rescored_scores
    union all
    select * from brought_forward_scores
),

{# computed_as_of, loaded_through and inputs_key of this build, computed once #}
bookkeeping as (
    select
        {{ leadscore.as_of_timestamp() }} as computed_as_of,
        {{ leadscore.engagement_loaded_through() }} as loaded_through,
        {{ leadscore.instants_inputs_key() }} as inputs_key
),

final as (
    select
        instant_scores.instant_key,
        instant_scores.contact_id,
        instant_scores.evaluated_epoch,
        {{ leadscore.timestamp_from_epoch('instant_scores.evaluated_epoch') }} as evaluated_at,
        instant_scores.evaluated_epoch = {{ as_of_epoch }} as is_as_of,
        instant_scores.fit_score,
        instant_scores.engagement_score,
        instant_scores.adjustment_points,
        instant_scores.lead_score,
        bookkeeping.computed_as_of,
        bookkeeping.loaded_through,
        bookkeeping.inputs_key
    from instant_scores
    cross join bookkeeping
)

select * from final
