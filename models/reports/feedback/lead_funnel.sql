{#- The funnel of lead_status_changes (up to as_of), one row per stage of var funnel_stages in order:
    contacts that ever reached the stage, that share of the first stage and of the previous one,
    contacts in it now, and the median days a stay in the stage lasted (from the change into it to
    the contact's next change; stays not over yet are left out of the median). -#}
{%- set stages = var('funnel_stages') -%}

with

status_changes as (
    select * from {{ ref('int_lead_status_changes') }}
),

stages as (
    {%- for stage in stages %}
        select
            '{{ dbt.escape_single_quotes(stage | string | trim | lower) }}' as stage,
            {{ loop.index }} as stage_order
        {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

changes as (
    select
        contact_id,
        status,
        changed_at,
        lead(changed_at) over (partition by contact_id order by changed_at asc, status asc) as left_at,
        row_number() over (partition by contact_id order by changed_at desc, status desc) as recency_rank
    from status_changes
    where changed_at <= {{ leadscore.as_of_timestamp() }}
),

stays as (
    select
        status as stage,
        contact_id,
        (
            {{ leadscore.epoch_seconds('left_at') }} - {{ leadscore.epoch_seconds('changed_at') }}
        ) / 86400.0 as days_in_stage
    from changes
),

reached as (
    select
        stage,
        count(distinct contact_id) as contacts_reached,
        {{ leadscore.percentile('days_in_stage', 0.5) }} as median_days_in_stage
    from stays
    group by stage
),

current_stages as (
    select
        status as stage,
        count(*) as contacts_in_stage
    from changes
    where recency_rank = 1
    group by status
),

counted as (
    select
        stages.stage,
        stages.stage_order,
        coalesce(reached.contacts_reached, 0) as contacts_reached,
        coalesce(current_stages.contacts_in_stage, 0) as contacts_in_stage,
        reached.median_days_in_stage
    from stages
    left join reached
        on stages.stage = reached.stage
    left join current_stages
        on stages.stage = current_stages.stage
),

final as (
    select
        stage,
        stage_order,
        contacts_reached,
        case
            when first_value(contacts_reached) over (order by stage_order asc) > 0
                then 100.0 * contacts_reached / first_value(contacts_reached) over (order by stage_order asc)
        end as reached_pct_of_first,
        case
            when lag(contacts_reached) over (order by stage_order asc) > 0
                then 100.0 * contacts_reached / lag(contacts_reached) over (order by stage_order asc)
        end as reached_pct_of_previous,
        contacts_in_stage,
        median_days_in_stage
    from counted
)

select * from final
