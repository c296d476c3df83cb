{#- One row per account: its contacts (resolved by int_contacts_resolved_to_accounts), engaged
    contacts and MQLs, the account score = account fit + rolled-up engagement + buying-committee
    points (account_score_breakdown explains every point), grade, MQA flag, top product line, top
    contacts and reasons. -#}
{%- set mqa_threshold = leadscore.number_var('mqa_threshold') -%}
{%- set mqa_min_engaged = leadscore.number_var('mqa_min_engaged_contacts') -%}
{%- set engaged_min = leadscore.number_var('engaged_contact_min_score') -%}
{%- set reasons_count = leadscore.number_var('score_reasons_count') | int -%}
{%- set top_contacts_count = leadscore.number_var('account_top_contacts_count') -%}
{%- set top_contacts_count = top_contacts_count | int -%}
{%- set rollup_method = leadscore.choice_var('account_rollup_method') -%}
{%- set excluded_types = leadscore.sql_string_list(var('mqa_excluded_account_types'), 'mqa_excluded_account_types') -%}

with

accounts as (
    select * from {{ ref('int_accounts_enriched') }}
),

breakdown as (
    select * from {{ ref('account_score_breakdown') }}
),

resolution as (
    select * from {{ ref('int_contacts_resolved_to_accounts') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

account_product_scores as (
    select * from {{ ref('account_product_scores') }}
),

buying_committee_roles as (
    select * from {{ ref('stg_reference__buying_committee_roles') }}
),

account_grade_bands as (
    select * from {{ ref('stg_grid__account_grade_bands') }}
),

account_contacts as (
    select
        resolution.resolved_account_id as account_id,
        lead_scores.contact_id,
        lead_scores.first_name,
        lead_scores.last_name,
        lead_scores.email,
        lead_scores.job_title,
        lead_scores.engagement_score,
        lead_scores.lead_score,
        lead_scores.is_mql,
        lead_scores.last_engaged_at
    from resolution
    inner join lead_scores
        on resolution.contact_id = lead_scores.contact_id
    where resolution.resolved_account_id is not null
),

contact_counts as (
    select
        account_id,
        count(*) as contact_count,
        count(case when engagement_score >= {{ engaged_min }} then 1 end) as engaged_contact_count,
        count(case when is_mql then 1 end) as mql_count,
        max(last_engaged_at) as last_engaged_at
    from account_contacts
    group by account_id
),

score_sums as (
    select
        account_id,
        sum(case when dimension = 'fit' then points else 0 end) as account_fit_score,
        sum(case when dimension = 'engagement' then points else 0 end) as account_engagement_score,
        sum(case when dimension = 'committee' then points else 0 end) as committee_points,
        count(case when dimension = 'committee' then 1 end) as committee_roles_covered
    from breakdown
    group by account_id
),

committee_size as (
    select count(*) as committee_roles_total
    from buying_committee_roles
),

role_coverage as (
    select
        accounts.account_id,
        buying_committee_roles.description as role_description,
        breakdown.rule_id is not null as is_covered
    from accounts
    cross join buying_committee_roles
    left join breakdown
        on
            accounts.account_id = breakdown.account_id
            and breakdown.dimension = 'committee'
            and trim(buying_committee_roles.role_id) = breakdown.rule_id
),

role_lists as (
    select
        account_id,
        {{ leadscore.ordered_string_agg(
            "case when is_covered then role_description end", "', '", 'role_description'
        ) }} as committee_roles_covered_list,
        {{ leadscore.ordered_string_agg(
            "case when not is_covered then role_description end", "', '", 'role_description'
        ) }} as committee_roles_missing_list
    from role_coverage
    group by account_id
),

top_product_lines as (
    select
        account_id,
        product_line
    from account_product_scores
    where is_top_product_line
),

scored as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.domain,
        accounts.industry,
        accounts.employee_count,
        accounts.annual_revenue,
        accounts.country,
        accounts.country_code,
        accounts.account_type,
        accounts.is_target_account,
        coalesce(contact_counts.contact_count, 0) as contact_count,
        coalesce(contact_counts.engaged_contact_count, 0) as engaged_contact_count,
        coalesce(contact_counts.mql_count, 0) as mql_count,
        coalesce(score_sums.account_fit_score, 0) as account_fit_score,
        coalesce(score_sums.account_engagement_score, 0) as account_engagement_score,
        coalesce(score_sums.committee_points, 0) as committee_points,
        coalesce(score_sums.account_fit_score, 0)
        + coalesce(score_sums.account_engagement_score, 0)
        + coalesce(score_sums.committee_points, 0) as account_score,
        coalesce(score_sums.committee_roles_covered, 0) as committee_roles_covered,
        committee_size.committee_roles_total,
        role_lists.committee_roles_covered_list,
        role_lists.committee_roles_missing_list,
        top_product_lines.product_line as top_product_line,
        contact_counts.last_engaged_at
    from accounts
    cross join committee_size
    left join contact_counts
        on accounts.account_id = contact_counts.account_id
    left join score_sums
        on accounts.account_id = score_sums.account_id
    left join role_lists
        on accounts.account_id = role_lists.account_id
    left join top_product_lines
        on accounts.account_id = top_product_lines.account_id
),

dimension_scores as (
    select
        account_id,
        'fit' as dimension,
        account_fit_score as score
    from scored
    union all
    select
        account_id,
        'engagement' as dimension,
        account_engagement_score as score
    from scored
),

{# the band of each dimension whose [min_score, max_score) holds the score (stg_grid__account_grade_bands) #}
bands_reached as (
    select
        dimension_scores.account_id,
        dimension_scores.dimension,
        account_grade_bands.band
    from dimension_scores
    inner join account_grade_bands
        on
            dimension_scores.dimension = account_grade_bands.dimension
            and {{ leadscore.band_holds_score('account_grade_bands', 'dimension_scores.score') }}
),

grades as (
    select
        account_id,
        max(case when dimension = 'fit' then band end) as fit_grade,
        max(case when dimension = 'engagement' then band end) as engagement_grade
    from bands_reached
    group by account_id
),

contacts_ranked as (
    select
        account_contacts.account_id,
        {{ leadscore.contact_display_name('account_contacts') }}
        || coalesce(', ' || account_contacts.job_title, '')
        || ' (' || cast(round(account_contacts.lead_score, 1) as {{ dbt.type_string() }}) || ')' as top_contact,
        row_number() over (
            partition by account_contacts.account_id
            order by account_contacts.lead_score desc, account_contacts.contact_id asc
        ) as top_contact_rank
    from account_contacts
),

top_contacts as (
    select
        account_id,
        {{ leadscore.pivot_ranked('top_contact', 'top_contact_rank', top_contacts_count) }}
    from contacts_ranked
    where top_contact_rank <= {{ top_contacts_count }}
    group by account_id
),

reasons_ranked as (
    select
        account_id,
        description || ' (' || {{ leadscore.format_points('points', "dimension = 'engagement'") }} || ')' as reason,
        row_number() over (
            partition by account_id
            order by abs(points) desc, dimension asc, rule_id asc
        ) as reason_rank
    from breakdown
    where round(points, 1) <> 0
),

reasons as (
    select
        account_id,
        {{ leadscore.pivot_ranked('reason', 'reason_rank', reasons_count) }}
    from reasons_ranked
    where reason_rank <= {{ reasons_count }}
    group by account_id
),

qualified as (
    select
        scored.*,
        grades.fit_grade,
        grades.engagement_grade,
        case
            when scored.account_score >= {{ mqa_threshold }} and scored.engaged_contact_count >= {{ mqa_min_engaged }}
                then 'score_and_engaged_contacts'
            when scored.account_score >= {{ mqa_threshold }} then 'score'
            when scored.engaged_contact_count >= {{ mqa_min_engaged }} then 'engaged_contacts'
        end as mqa_qualified_by,
        {{ leadscore.join_ranked('top_contacts.top_contact', top_contacts_count, "'; '") }} as top_contacts,
        {{ leadscore.join_ranked('reasons.reason', reasons_count, "', '") }} as score_reasons
    from scored
    left join grades
        on scored.account_id = grades.account_id
    left join top_contacts
        on scored.account_id = top_contacts.account_id
    left join reasons
        on scored.account_id = reasons.account_id
),

final as (
    select
        account_id,
        account_name,
        domain,
        industry,
        employee_count,
        annual_revenue,
        country,
        country_code,
        account_type,
        is_target_account,
        contact_count,
        engaged_contact_count,
        mql_count,
        account_fit_score,
        account_engagement_score,
        committee_points,
        account_score,
        committee_roles_covered,
        committee_roles_total,
        cast(round(100.0 * committee_roles_covered / nullif(committee_roles_total, 0), 1) as double) as committee_coverage_pct,
        committee_roles_covered_list,
        committee_roles_missing_list,
        fit_grade,
        engagement_grade,
        {{ dbt.concat(['fit_grade', 'engagement_grade']) }} as account_grade,
        mqa_qualified_by is not null
        and not coalesce(account_type in ({{ excluded_types }}), false) as is_mqa,
        mqa_qualified_by,
        case
            when mqa_qualified_by is not null and account_type in ({{ excluded_types }})
                then 'excluded_account_type'
        end as mqa_blocked_reason,
        top_product_line,
        top_contacts,
        score_reasons,
        '{{ rollup_method }}' as account_rollup_method,
        last_engaged_at,
        {{ leadscore.as_of_timestamp() }} as as_of
    from qualified
)

select * from final
