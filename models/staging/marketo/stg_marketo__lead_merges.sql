{{ config(enabled='marketo' in var('source_systems')) }}
{#- Every lead merged away, with the lead that survives it in the end: a merge activity names the
    surviving lead (lead_id) and the merged ones (merge_ids, "[12,34]"); when a survivor is merged
    in its turn, its own merged leads follow it to the last survivor. -#}
with recursive

merge_activities as (
    select * from {{ ref('base_marketo__activity_merge_leads') }}
),

merge_id_items as (
    {# one row per listed id; Spark allows no generator inside another expression, so trim comes after #}
    select
        lead_id as survivor_lead_id,
        activity_id,
        activity_at as merged_at,
        {{ leadscore.split_to_rows("replace(replace(merge_ids, '[', ''), ']', '')", ',') }} as merge_id_item
    from merge_activities
),

merged_lead_ids as (
    select
        survivor_lead_id,
        activity_id,
        merged_at,
        trim(merge_id_item) as merged_lead_id
    from merge_id_items
),

direct_merges as (
    {#- a lead merged twice (a re-synced activity): its first merge counts -#}
    select
        merged_lead_id,
        survivor_lead_id,
        merged_at
    from (
        select
            merged_lead_id,
            survivor_lead_id,
            merged_at,
            row_number() over (partition by merged_lead_id order by merged_at, activity_id) as merge_order
        from merged_lead_ids
        where merged_lead_id <> '' and merged_lead_id <> survivor_lead_id
    ) as ordered
    where merge_order = 1
),

merge_chains as (
    select
        merged_lead_id,
        survivor_lead_id,
        merged_at,
        1 as hops
    from direct_merges

    union all

    {# the bound only stops a cycle in bad data: Marketo never merges a lead that is gone #}
    select
        chains.merged_lead_id,
        later.survivor_lead_id,
        greatest(chains.merged_at, later.merged_at) as merged_at,
        chains.hops + 1 as hops
    from merge_chains as chains
    inner join direct_merges as later
        on chains.survivor_lead_id = later.merged_lead_id
    where chains.hops < 50
),

final as (
    select
        merged_lead_id,
        survivor_lead_id,
        merged_at,
        hops
    from (
        select
            *,
            row_number() over (partition by merged_lead_id order by hops desc) as chain_rank
        from merge_chains
    ) as ranked
    where chain_rank = 1
)

select * from final
