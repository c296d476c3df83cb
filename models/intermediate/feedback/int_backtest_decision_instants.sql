{#- The backtest's leads: the candidates (int_backtest_candidates) that are not left out, each with the
    instant it is judged at and whether an opportunity followed within the horizon. -#}
with

candidates as (
    select * from {{ ref('int_backtest_candidates') }}
),

final as (
    select
        contact_id,
        created_at,
        decision_at,
        decision_basis,
        is_converted,
        first_opportunity_at,
        known_from
    from candidates
    where exclusion_reason is null
)

select * from final
