{#- The instant each past lead is judged at in the backtest, and what followed it.
    With backtest_decision_basis first_mql_crossing, a contact whose score first crossed
    mql_threshold (mql_events) before any opportunity, and early enough for a whole
    backtest_horizon_days after it, is judged at that crossing: converted when its first
    opportunity came within the horizon. Every other contact (and every contact with the basis
    opportunity, the default) is judged as follows. A contact with an opportunity (created at or
    before as_of) is judged backtest_gap_days before its first opportunity was created: converted. A contact without one is judged at an instant
    drawn from a hash of its id, between the moment it was known (its creation, or the first event
    the warehouse holds when later) and as_of minus backtest_horizon_days, so that a whole horizon
    without an opportunity followed: not converted. A contact whose instant falls before it was
    known, or that was created too late to have had a full horizon, is left out. -#}
{%- set gap_days = leadscore.number_var('backtest_gap_days') -%}
{%- set horizon_days = leadscore.number_var('backtest_horizon_days') -%}
{%- set horizon_end = dbt.dateadd('second', -(horizon_days * 86400) | int, leadscore.as_of_timestamp()) -%}
{%- set horizon_seconds = (horizon_days * 86400) | int -%}
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

first_opportunities as (
    select
        contact_id,
        min(created_at) as first_opportunity_at
    from opportunities
    where
        contact_id is not null
        and created_at <= {{ leadscore.as_of_timestamp() }}
    group by contact_id
),

{# the first upward crossing of each contact, when the backtest is judged at crossings #}
first_crossings as (
    {%- if basis == 'first_mql_crossing' %}
    select
        contact_id,
        min(crossed_at) as first_crossed_at
    from {{ ref('mql_events') }}
    where crossed_at is not null
    group by contact_id
    {%- else %}
        select
            contact_id,
            cast(null as {{ dbt.type_timestamp() }}) as first_crossed_at
        from contacts
        where 1 = 0
    {%- endif %}
),

observation as (
    select min(occurred_at) as observed_from
    from events
    where occurred_at <= {{ leadscore.as_of_timestamp() }}
),

candidates as (
    select
        contacts.contact_id,
        first_opportunities.first_opportunity_at,
        first_crossings.first_crossed_at,
        case
            when observation.observed_from > contacts.created_at then observation.observed_from
            else contacts.created_at
        end as known_from
    from contacts
    cross join observation
    left join first_opportunities
        on contacts.contact_id = first_opportunities.contact_id
    left join first_crossings
        on contacts.contact_id = first_crossings.contact_id
    where contacts.created_at <= {{ leadscore.as_of_timestamp() }}
),

judged_at_crossing as (
    select
        *,
        coalesce(
            first_crossed_at < coalesce(first_opportunity_at, {{ horizon_end }})
            and first_crossed_at <= {{ horizon_end }},
            false
        ) as is_judged_at_crossing
    from candidates
),

instants as (
    select
        contact_id,
        first_opportunity_at,
        known_from,
        case
            when is_judged_at_crossing then 'first_mql_crossing'
            when first_opportunity_at is not null then 'opportunity'
            else 'no_opportunity'
        end as decision_basis,
        case
            when is_judged_at_crossing then first_crossed_at
            when first_opportunity_at is not null
                then {{ dbt.dateadd('second', -(gap_days * 86400) | int, 'first_opportunity_at') }}
            when known_from <= {{ horizon_end }}
                then {{ dbt.dateadd(
                    'second',
                    'cast(floor(' ~ leadscore.hash_fraction('contact_id') ~ ' * '
                    ~ dbt.datediff('known_from', horizon_end, 'second') ~ ') as ' ~ dbt.type_bigint() ~ ')',
                    'known_from'
                ) }}
        end as decision_at,
        case
            when is_judged_at_crossing
                then coalesce(
                    first_opportunity_at <= {{ dbt.dateadd('second', horizon_seconds, 'first_crossed_at') }}, false
                )
            else first_opportunity_at is not null
        end as is_converted
    from judged_at_crossing
),

final as (
    select
        contact_id,
        decision_at,
        decision_basis,
        is_converted,
        first_opportunity_at,
        known_from
    from instants
    where decision_at >= known_from
)

select * from final
