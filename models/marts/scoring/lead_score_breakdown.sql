with

{# the champion grid at as_of #}
contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
    where purpose = 'current' and grid_role = 'champion'
),

contacts as (
    select contact_id from {{ ref('int_contacts_enriched') }}
),

final as (
    select
        {{ dbt.concat([
            'contributions.contact_id', "'|'", 'contributions.dimension', "'|'", 'contributions.rule_id'
        ]) }} as contribution_id,
        contributions.contact_id,
        contributions.dimension,
        contributions.rule_id,
        contributions.description,
        contributions.category,
        contributions.occurrences,
        contributions.raw_points,
        contributions.points,
        contributions.last_occurred_at,
        {{ leadscore.as_of_timestamp() }} as as_of
    from contributions
    inner join contacts
        on contributions.contact_id = contacts.contact_id
)

select * from final
