{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Opportunities that are not deleted. The contact is the opportunity's primary contact role (else its
    earliest role), else the contact of the lead converted into it (converted_opportunity_id), each
    resolved to the live contact it belongs to. -#}
with

opportunities as (
    select * from {{ ref('base_salesforce__opportunity') }}
),

contact_roles as (
    select * from {{ ref('base_salesforce__opportunity_contact_role') }}
),

leads as (
    select * from {{ ref('base_salesforce__lead') }}
),

record_contacts as (
    select * from {{ ref('stg_salesforce__record_contacts') }}
),

contact_roles_ranked as (
    select
        contact_roles.opportunity_id,
        record_contacts.contact_id,
        row_number() over (
            partition by contact_roles.opportunity_id
            order by
                case when contact_roles.is_primary then 0 else 1 end,
                contact_roles.created_at,
                contact_roles.opportunity_contact_role_id
        ) as role_rank
    from contact_roles
    inner join record_contacts on contact_roles.contact_record_id = record_contacts.record_id
    where not contact_roles.is_deleted
),

converted_lead_contacts_ranked as (
    select
        leads.converted_opportunity_id as opportunity_id,
        record_contacts.contact_id,
        row_number() over (
            partition by leads.converted_opportunity_id order by leads.converted_at, leads.lead_id
        ) as lead_rank
    from leads
    inner join record_contacts on leads.lead_id = record_contacts.record_id
    where leads.converted_opportunity_id is not null
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        opportunities.account_id,
        coalesce(roles.contact_id, converted.contact_id) as contact_id,

        -- strings
        opportunities.stage,

        -- numerics
        opportunities.amount,

        -- booleans
        opportunities.is_closed,
        opportunities.is_won,

        -- timestamps
        opportunities.created_at,
        case when opportunities.is_closed then opportunities.close_date end as closed_at,

        -- lineage
        'salesforce' as source_system

    from opportunities
    left join contact_roles_ranked as roles
        on opportunities.opportunity_id = roles.opportunity_id and roles.role_rank = 1
    left join converted_lead_contacts_ranked as converted
        on opportunities.opportunity_id = converted.opportunity_id and converted.lead_rank = 1
    where not opportunities.is_deleted
)

select * from final
