{{ config(enabled='salesforce' in var('source_systems')) }}
{#- One row per live person: each contact record that survives (not deleted, not merged into another) and
    each lead that is neither converted, merged nor deleted (contact_id = the lead's id). A contact carries
    what its converted leads knew that a contact record has no field for (company, industry, size,
    revenue), from its earliest converted lead; created_at is when the earliest of its records (converted
    or merged leads and contacts) was created, so their history counts from then. -#}
with

leads as (
    select * from {{ ref('base_salesforce__lead') }}
),

contact_records as (
    select * from {{ ref('base_salesforce__contact') }}
),

record_contacts as (
    select * from {{ ref('stg_salesforce__record_contacts') }}
),

accounts as (
    select * from {{ ref('base_salesforce__account') }}
),

converted_leads_ranked as (
    select
        record_contacts.contact_id,
        leads.*,
        row_number() over (
            partition by record_contacts.contact_id order by leads.created_at, leads.lead_id
        ) as lead_rank
    from record_contacts
    inner join leads on record_contacts.record_id = leads.lead_id
    where not record_contacts.is_survivor
),

earliest_converted_leads as (
    select * from converted_leads_ranked
    where lead_rank = 1
),

first_known as (
    select
        contact_id,
        min(created_at) as created_at
    from record_contacts
    group by contact_id
),

unconverted_leads as (
    select
        leads.lead_id as contact_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        leads.email,
        leads.first_name,
        leads.last_name,
        leads.job_title,
        leads.company_name,
        leads.industry,
        leads.country,
        leads.state,
        leads.city,
        leads.phone,
        leads.lead_source,
        leads.custom_attributes,
        leads.employee_count,
        leads.annual_revenue,
        leads.has_opted_out_of_email,
        leads.do_not_call,
        first_known.created_at,
        leads.updated_at
    from leads
    inner join record_contacts on leads.lead_id = record_contacts.record_id
    inner join first_known on leads.lead_id = first_known.contact_id
    where record_contacts.is_survivor
),

surviving_contacts as (
    select
        contact_records.contact_record_id as contact_id,
        contact_records.account_id,
        contact_records.email,
        contact_records.first_name,
        contact_records.last_name,
        contact_records.job_title,
        coalesce(converted.company_name, accounts.account_name) as company_name,
        converted.industry,
        contact_records.country,
        contact_records.state,
        contact_records.city,
        contact_records.phone,
        coalesce(contact_records.lead_source, converted.lead_source) as lead_source,
        contact_records.custom_attributes,
        converted.employee_count,
        converted.annual_revenue,
        contact_records.has_opted_out_of_email,
        contact_records.do_not_call,
        first_known.created_at,
        contact_records.updated_at
    from contact_records
    inner join record_contacts on contact_records.contact_record_id = record_contacts.record_id
    inner join first_known on contact_records.contact_record_id = first_known.contact_id
    left join earliest_converted_leads as converted on contact_records.contact_record_id = converted.contact_id
    left join accounts on contact_records.account_id = accounts.account_id
    where record_contacts.is_survivor
),

people as (
    select * from unconverted_leads
    union all
    select * from surviving_contacts
),

final as (
    select
        -- ids
        contact_id,
        account_id,

        -- strings
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        industry,
        country,
        state,
        city,
        phone,
        lead_source,
        cast(null as {{ dbt.type_string() }}) as purchase_authority,
        cast(null as {{ dbt.type_string() }}) as purchase_timeline,
        custom_attributes,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        cast(null as {{ dbt.type_boolean() }}) as uses_competitor,
        not has_opted_out_of_email as has_marketing_consent,
        coalesce(has_opted_out_of_email and do_not_call, false) as is_do_not_contact,

        -- timestamps
        created_at,
        updated_at,

        -- lineage
        'salesforce' as source_system

    from people
)

select * from final
