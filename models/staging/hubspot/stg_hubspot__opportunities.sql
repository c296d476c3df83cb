{{ config(enabled='hubspot' in var('source_systems')) }}
{#- HubSpot deals as opportunities, in the columns of stg_raw__opportunities: one row per deal and
    lead it is associated with (deal_contact; a merged contact's deals go to its survivor), with
    opportunity_id '<deal_id>:<contact_id>', or one row with opportunity_id = the deal id and no contact
    when no live contact is associated. Won / closed come from the deal's pipeline stage
    (deal_pipeline_stage: closed_won, or closed lost at probability 0); deleted deals are left out. #}

with

deals as (
    select * from {{ ref('base_hubspot__deal') }}
    where not is_deleted
),

deal_contacts as (
    select * from {{ ref('base_hubspot__deal_contact') }}
),

stages as (
    select * from {{ ref('base_hubspot__deal_pipeline_stage') }}
),

contact_leads as (
    select * from {{ ref('stg_hubspot__contact_leads') }}
),

contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

deal_leads as (
    select distinct
        deal_contacts.deal_id,
        contact_leads.lead_contact_id as contact_id
    from deal_contacts
    inner join contact_leads
        on deal_contacts.contact_id = contact_leads.contact_id
    where contact_leads.lead_contact_id is not null
),

deals_with_leads as (
    select
        deals.*,
        deal_leads.contact_id
    from deals
    left join deal_leads
        on deals.deal_id = deal_leads.deal_id
),

final as (
    select
        -- ids
        case
            when deals_with_leads.contact_id is null then deals_with_leads.deal_id
            else {{ dbt.concat(["deals_with_leads.deal_id", "':'", "deals_with_leads.contact_id"]) }}
        end as opportunity_id,
        contacts.account_id,
        deals_with_leads.contact_id,

        -- strings
        stages.stage,
        'hubspot' as source_system,

        -- numerics
        deals_with_leads.amount,

        -- booleans
        coalesce(stages.is_closed, false) as is_closed,
        coalesce(stages.is_won, false) as is_won,

        -- timestamps
        deals_with_leads.created_at,
        case when stages.is_closed then deals_with_leads.close_date end as closed_at

    from deals_with_leads
    left join stages
        on deals_with_leads.deal_pipeline_stage_id = stages.deal_pipeline_stage_id
    left join contacts
        on deals_with_leads.contact_id = contacts.contact_id
)

select * from final
