with

contacts as (
    select * from {{ ref('int_contacts') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

email_domains as (
    select * from {{ ref('stg_reference__email_domains') }}
),

job_title_patterns as (
    select * from {{ ref('stg_reference__job_title_patterns') }}
),

country_aliases as (
    select * from {{ ref('stg_reference__country_aliases') }}
),

{# Titles repeat a lot: match each distinct title once against the patterns. #}
distinct_titles as (
    select distinct lower(job_title) as job_title_key
    from contacts
    where job_title is not null
),

title_matches as (
    select
        distinct_titles.job_title_key,
        job_title_patterns.dimension,
        job_title_patterns.value,
        row_number() over (
            partition by distinct_titles.job_title_key, job_title_patterns.dimension
            order by {{ leadscore.to_integer('job_title_patterns.priority') }}, job_title_patterns.pattern_id
        ) as match_rank
    from distinct_titles
    inner join job_title_patterns
        on {{ leadscore.regex_matches('distinct_titles.job_title_key', 'job_title_patterns.pattern') }}
),

titles_normalized as (
    select
        job_title_key,
        max(case when dimension = 'job_level' then value end) as job_level,
        max(case when dimension = 'job_function' then value end) as job_function
    from title_matches
    where match_rank = 1
    group by job_title_key
),

emails_parsed as (
    select
        contact_id,
        case
            when {{ leadscore.regex_matches('email', "'^[^@ ]+@[^@ ]+[.][a-z]{2,}$'") }}
                then {{ dbt.split_part('email', "'@'", 2) }}
        end as email_domain,
        case
            when email is null then 'missing'
            when not {{ leadscore.regex_matches('email', "'^[^@ ]+@[^@ ]+[.][a-z]{2,}$'") }} then 'invalid'
        end as email_problem
    from contacts
),

emails_typed as (
    select
        emails_parsed.contact_id,
        emails_parsed.email_domain,
        coalesce(
            emails_parsed.email_problem,
            email_domains.domain_type,
            'business'
        ) as email_type
    from emails_parsed
    left join email_domains
        on emails_parsed.email_domain = lower(email_domains.domain)
),

enriched as (
    select
        contacts.*,
        emails_typed.email_domain,
        emails_typed.email_type,
        titles_normalized.job_level,
        titles_normalized.job_function,
        coalesce(
            country_aliases.country_code,
            case when {{ dbt.length('contacts.country') }} = 2 then upper(contacts.country) end
        ) as country_code,
        case
            when contacts.first_name is null and contacts.last_name is null then null
            else {{ leadscore.regex_matches(
                dbt.concat(["coalesce(contacts.first_name, '')", "coalesce(contacts.last_name, '')"]),
                "'[0-9]'"
            ) }}
        end as name_has_digits,
        {#- a double on both engines (Spark keeps 100.0 * an integer as a decimal) #}
        cast(round(100.0 * (
            {%- for field in var('completeness_fields') %}
                case when contacts.{{ field }} is not null then 1 else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) / {{ var('completeness_fields') | length }}, 1) as double) as data_completeness_pct,
        accounts.account_name,
        accounts.domain as account_domain,
        accounts.industry as account_industry,
        accounts.employee_count as account_employee_count,
        accounts.annual_revenue as account_annual_revenue,
        accounts.country as account_country,
        accounts.is_target_account as account_is_target_account,
        accounts.account_type,
        accounts.custom_attributes as account_custom_attributes
    from contacts
    left join emails_typed
        on contacts.contact_id = emails_typed.contact_id
    left join titles_normalized
        on lower(contacts.job_title) = titles_normalized.job_title_key
    left join country_aliases
        on lower(contacts.country) = country_aliases.alias
    left join accounts
        on contacts.account_id = accounts.account_id
),

final as (
    select
        *,
        case
            when country_code is null then null
            else country_code in ({{ leadscore.sql_string_list(var('target_countries'), 'target_countries') }})
        end as is_target_country
    from enriched
)

select * from final
