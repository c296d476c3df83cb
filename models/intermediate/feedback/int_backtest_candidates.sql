{#- Every contact the backtest could judge, the instant it is judged at and, when it is left out, why.
    The instant is chosen the same way for every lead whatever became of it (docs/backtest-and-calibration.md):
    with var backtest_decision_basis lead_age (the default), backtest_decision_age_days after the lead was
    known (its creation, or the first event the warehouse holds when later); when the warehouse holds no
    event at all (a CRM export of attributes only), at the instant it was known: nothing a lead does is
    recorded, so waiting would change no score and only leave out the leads that convert meanwhile. It converted when its first
    opportunity came after that instant and within backtest_horizon_days. Left out, and counted in
    backtest_summary: a lead whose first opportunity came at or before its instant (converted_before_decision),
    and one whose horizon is not over at as_of (horizon_not_over).
    With first_mql_crossing, a lead whose score first crossed mql_threshold (int_mql_crossings_located, as mql_events dates them) before any
    opportunity is judged at that crossing, the others by their age. The basis opportunity (a converted lead
    judged backtest_gap_days before its opportunity, the others at an instant drawn from a hash of their
    id) depends on the outcome and leaks it through lead age: kept only to compare with older backtests. -#}
{%- set gap_days = leadscore.number_var('backtest_gap_days') -%}
{%- set age_seconds = (leadscore.number_var('backtest_decision_age_days') * 86400) | int -%}
{%- set horizon_seconds = (leadscore.number_var('backtest_horizon_days') * 86400) | int -%}
{%- set as_of = leadscore.as_of_timestamp() -%}
{%- set horizon_end = dbt.dateadd('second', -horizon_seconds, as_of) -%}
{%- set basis = leadscore.choice_var('backtest_decision_basis') -%}

with

contacts as (
    select * from {{ ref('int_contacts') }}
),

opportunities as (
    select * from {{ ref('int_opportunities') }}
),

events as (
    select * from {{ ref('int_events') }}
),

crossings as (
    select * from {{ ref('int_mql_crossings_located') }}
),

first_opportunities as (
    select
        contact_id,
        min(created_at) as first_opportunity_at
    from opportunities
    where
        contact_id is not null
        and created_at <= {{ as_of }}
    group by contact_id
),

{# the first upward crossing of each contact (dated as mql_events dates it: an initial one at the
   contact's creation), read only when the backtest is judged at crossings #}
first_crossings as (
    select
        crossings.contact_id,
        min(
            case when crossings.located_by = 'initial' then contacts.created_at else crossings.crossed_at end
        ) as first_crossed_at
    from crossings
    inner join contacts
        on crossings.contact_id = contacts.contact_id
    where
        {{ leadscore.sql_boolean(basis == 'first_mql_crossing') }}
        and case when crossings.located_by = 'initial' then contacts.created_at else crossings.crossed_at end is not null
    group by crossings.contact_id
),

observation as (
    select min(occurred_at) as observed_from
    from events
    where occurred_at <= {{ as_of }}
),

known_contacts as (
    select
        contacts.contact_id,
        contacts.created_at,
        first_opportunities.first_opportunity_at,
        first_crossings.first_crossed_at,
        case
            when observation.observed_from > contacts.created_at then observation.observed_from
            else contacts.created_at
        end as known_from,
        observation.observed_from is not null as is_behaviour_recorded
    from contacts
    cross join observation
    left join first_opportunities
        on contacts.contact_id = first_opportunities.contact_id
    left join first_crossings
        on contacts.contact_id = first_crossings.contact_id
    where contacts.created_at <= {{ as_of }}
),

instants_chosen as (
    select
        contact_id,
        created_at,
        first_opportunity_at,
        known_from,
        case
            when
                first_crossed_at < coalesce(first_opportunity_at, {{ horizon_end }})
                and first_crossed_at <= {{ horizon_end }}
                then 'first_mql_crossing'
            {%- if basis == 'opportunity' %}
            when first_opportunity_at is not null then 'opportunity'
            else 'no_opportunity'
            {%- else %}
                else 'lead_age'
            {%- endif %}
        end as decision_basis,
        case
            when
                first_crossed_at < coalesce(first_opportunity_at, {{ horizon_end }})
                and first_crossed_at <= {{ horizon_end }}
                then first_crossed_at
            {%- if basis == 'opportunity' %}
            when first_opportunity_at is not null
                then {{ dbt.dateadd('second', -(gap_days * 86400) | int, 'first_opportunity_at') }}
            when known_from <= {{ horizon_end }}
                then {{ dbt.dateadd(
                    'second',
                    'cast(floor(' ~ leadscore.hash_fraction('contact_id') ~ ' * '
                    ~ dbt.datediff('known_from', horizon_end, 'second') ~ ') as ' ~ dbt.type_bigint() ~ ')',
                    'known_from'
                ) }}
            {%- else %}
                when is_behaviour_recorded
                    then {{ dbt.dateadd('second', age_seconds, 'known_from') }}
                else known_from
            {%- endif %}
        end as decision_at
    from known_contacts
),

outcomes as (
    select
        *,
        {{ dbt.dateadd('second', horizon_seconds, 'decision_at') }} as horizon_ends_at
    from instants_chosen
),

final as (
    select
        contact_id,
        created_at,
        decision_at,
        decision_basis,
        case decision_basis
            when 'opportunity' then true
            when 'no_opportunity' then false
            else coalesce(first_opportunity_at > decision_at and first_opportunity_at <= horizon_ends_at, false)
        end as is_converted,
        first_opportunity_at,
        known_from,
        case
            when decision_at is null or decision_at < known_from then 'before_known'
            {#- the leaky basis: judged before the opportunity, or early enough for a horizon, by construction -#}
            when decision_basis in ('opportunity', 'no_opportunity') then null
            when first_opportunity_at <= decision_at then 'converted_before_decision'
            when horizon_ends_at > {{ as_of }} then 'horizon_not_over'
        end as exclusion_reason
    from outcomes
)

select * from final
