{{ config(enabled='segment' in var('source_systems')) }}
{#- The pairs of identifiers Segment saw together, one row per pair and table, first seen at the
    earliest call (its timestamp) that carried both: every identify, page, screen and track with
    two of anonymous_id, user_id and the email trait (docs/identity.md). -#}
with

identifies as (
    select * from {{ ref('base_segment__identifies') }}
),

pages as (
    select * from {{ ref('base_segment__pages') }}
),

screens as (
    select * from {{ ref('base_segment__screens') }}
),

tracks as (
    select * from {{ ref('base_segment__tracks') }}
),

calls as (
    select 'identifies' as source_table, anonymous_id, user_id, email, occurred_at from identifies
    union all
    select 'pages' as source_table, anonymous_id, user_id, email, occurred_at from pages
    union all
    select 'screens' as source_table, anonymous_id, user_id, email, occurred_at from screens
    union all
    select 'tracks' as source_table, anonymous_id, user_id, email, occurred_at from tracks
),

pairs as (
    select source_table, 'anonymous_id' as left_type, anonymous_id as left_id, 'user_id' as right_type,
        user_id as right_id, occurred_at
    from calls
    where anonymous_id is not null and user_id is not null
    union all
    select source_table, 'anonymous_id' as left_type, anonymous_id as left_id, 'email' as right_type,
        email as right_id, occurred_at
    from calls
    where anonymous_id is not null and email is not null
    union all
    select source_table, 'user_id' as left_type, user_id as left_id, 'email' as right_type,
        email as right_id, occurred_at
    from calls
    where user_id is not null and email is not null
),

final as (
    select
        'segment' as source_system,
        source_table,
        left_type,
        left_id,
        right_type,
        right_id,
        min(occurred_at) as seen_at
    from pairs
    where occurred_at is not null
    group by source_table, left_type, left_id, right_type, right_id
)

select * from final
