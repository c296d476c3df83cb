{#- Why each account scored what it did: one row per account and contribution. Per account the
    points add up to account_score (tested).
    - fit: an account fit rule that applies (int_account_fit_rules_applied);
    - engagement: a contact's share of the rolled-up engagement. Contacts' engagement scores
      (negative ones as zero: a job seeker does not make the employer less interested) are
      shared by var account_rollup_method: sum, each in full; average, each divided by the
      account's n contacts; max, the most engaged contact in full; top_k, each of the k most
      engaged divided by k (the average of the top k, missing contacts counting as zero);
    - committee: a role of seeds/buying_committee_roles filled by at least one engaged contact
      (engagement_score >= var engaged_contact_min_score), with the role's points, credited to
      the most engaged contact filling it. -#}
{%- set rollup_method = leadscore.choice_var('account_rollup_method') -%}
{%- set top_k = leadscore.number_var('account_rollup_top_k') -%}
{%- set engaged_min = leadscore.number_var('engaged_contact_min_score') -%}
{%- set rollup_divisor = {
    'sum': '1',
    'average': 'account_contact_count',
    'max': 'case when engagement_rank = 1 then 1 end',
    'top_k': 'case when engagement_rank <= ' ~ (top_k | int) ~ ' then ' ~ (top_k | int) ~ ' end',
}[rollup_method] -%}

with

fit_rules_applied as (
    select * from {{ ref('int_account_fit_rules_applied') }}
),

resolution as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

buying_committee_roles as (
    select * from {{ ref('stg_reference__buying_committee_roles') }}
),

account_contacts as (
    select
        resolution.resolved_account_id as account_id,
        lead_scores.contact_id,
        {{ leadscore.contact_display_name('lead_scores') }} as contact_name,
        lead_scores.job_title,
        contacts.job_level,
        contacts.job_function,
        lead_scores.engagement_score,
        case when lead_scores.engagement_score > 0 then lead_scores.engagement_score else 0.0 end as rollup_points,
        lead_scores.engagement_score >= {{ engaged_min }} as is_engaged,
        count(*) over (partition by resolution.resolved_account_id) as account_contact_count,
        row_number() over (
            partition by resolution.resolved_account_id
            order by lead_scores.engagement_score desc, lead_scores.contact_id asc
        ) as engagement_rank
    from resolution
    inner join lead_scores
        on resolution.contact_id = lead_scores.contact_id
    inner join contacts
        on resolution.contact_id = contacts.contact_id
    where resolution.resolved_account_id is not null
),

{# a contact's share is its rollup points divided by rollup_divisor; no divisor, no share #}
rollup_shares as (
    select
        *,
        {{ rollup_divisor }} as rollup_divisor
    from account_contacts
),

committee_roles as (
    select
        trim(role_id) as role_id,
        nullif(trim(job_level), '') as job_level,
        nullif(trim(job_function), '') as job_function,
        coalesce({{ leadscore.to_number('points') }}, 0) as points,
        description
    from buying_committee_roles
),

role_fills as (
    select
        account_contacts.account_id,
        committee_roles.role_id,
        committee_roles.points,
        committee_roles.description as role_description,
        account_contacts.contact_id,
        account_contacts.contact_name,
        row_number() over (
            partition by account_contacts.account_id, committee_roles.role_id
            order by account_contacts.engagement_score desc, account_contacts.contact_id asc
        ) as fill_rank
    from account_contacts
    inner join committee_roles
        on
            (
                committee_roles.job_level is null
                or {{ leadscore.rule_matches('account_contacts.job_level', "'in'", 'committee_roles.job_level') }}
            )
            and (
                committee_roles.job_function is null
                or {{ leadscore.rule_matches('account_contacts.job_function', "'in'", 'committee_roles.job_function') }}
            )
    where account_contacts.is_engaged
),

fit as (
    select
        account_id,
        'fit' as dimension,
        rule_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        description,
        points as raw_points,
        cast(1.0 as double) as weight,
        points
    from fit_rules_applied
),

engagement as (
    select
        account_id,
        'engagement' as dimension,
        contact_id as rule_id,
        contact_id,
        'Engagement of ' || contact_name || coalesce(' (' || job_title || ')', '') as description,
        engagement_score as raw_points,
        cast(1.0 / rollup_divisor as double) as weight,
        rollup_points / rollup_divisor as points
    from rollup_shares
    where rollup_divisor is not null and rollup_points > 0
),

committee as (
    select
        account_id,
        'committee' as dimension,
        role_id as rule_id,
        contact_id,
        'Buying committee: ' || role_description || ' (' || contact_name || ')' as description,
        points as raw_points,
        cast(1.0 as double) as weight,
        points
    from role_fills
    where fill_rank = 1
),

unioned as (
    select * from fit
    union all
    select * from engagement
    union all
    select * from committee
),

final as (
    select
        {{ dbt.concat(['account_id', "'|'", 'dimension', "'|'", 'rule_id']) }} as contribution_id,
        account_id,
        dimension,
        rule_id,
        contact_id,
        description,
        raw_points,
        weight,
        points,
        '{{ rollup_method }}' as rollup_method,
        {{ leadscore.as_of_timestamp() }} as as_of
    from unioned
)

select * from final
