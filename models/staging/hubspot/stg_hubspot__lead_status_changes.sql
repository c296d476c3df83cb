{{ config(enabled='hubspot' in var('source_systems')) }}
{#- Lead status changes of the HubSpot leads, in the columns of stg_raw__lead_status_changes, from the
    contact table's current values only (the property history is not read): the entry into each
    lifecycle stage (property_hs_lifecyclestage_<stage>_date columns, found in the table when the
    model compiles; status = the stage's internal name, e.g. marketingqualifiedlead), and the current
    lead status (property_hs_lead_status, e.g. unqualified) at the contact's last modification, the
    earliest instant it is known to hold. Statuses keep HubSpot's names: vars funnel_stages,
    mql_status, disqualified_statuses, customer_statuses name them (docs/sources/hubspot.md). #}
{%- set lifecycle_dates = leadscore.hubspot_lifecycle_date_columns(leadscore.hubspot_source_columns('contact')) -%}

with

contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

base_contacts as (
    select * from {{ ref('base_hubspot__contact') }}
),

leads as (
    select base_contacts.*
    from base_contacts
    inner join contacts
        on base_contacts.contact_id = contacts.contact_id
),

changes as (
    {%- for stage, column in lifecycle_dates %}
        select
            contact_id,
            '{{ stage }}' as status,
            'lifecycle_stage' as reason,
            became_{{ stage }}_at as changed_at,
            synced_at as loaded_at
        from leads
        where became_{{ stage }}_at is not null
        union all
    {%- endfor %}
    select
        contact_id,
        lead_status as status,
        'lead_status' as reason,
        coalesce(updated_at, created_at) as changed_at,
        synced_at as loaded_at
    from leads
    where lead_status is not null and coalesce(updated_at, created_at) is not null
),

final as (
    select distinct
        -- ids
        {{ dbt.hash(dbt.concat(["contact_id", "'|'", "cast(changed_at as " ~ dbt.type_string() ~ ")", "'|'", "status"])) }}
            as status_change_id,
        contact_id,

        -- strings
        status,
        reason,
        cast(null as {{ dbt.type_string() }}) as owner,
        'hubspot' as source_system,

        -- timestamps
        changed_at,
        loaded_at

    from changes
)

select * from final
