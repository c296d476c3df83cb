{#- Accounts with what resolution and account fit rules read: the normalised company name, the
    domain contacts' emails are matched on (without "www."), the ISO country code and whether it
    is a target country (var target_countries), as for contacts. -#}
with

accounts as (
    select * from {{ ref('int_accounts') }}
),

company_names as (
    select * from {{ ref('int_company_names_normalized') }}
),

country_aliases as (
    select * from {{ ref('stg_reference__country_aliases') }}
),

enriched as (
    select
        accounts.*,
        company_names.normalized_company_name,
        case
            when accounts.domain like 'www.%' then substring(accounts.domain, 5)
            else accounts.domain
        end as email_domain,
        coalesce(
            country_aliases.country_code,
            case when {{ dbt.length('accounts.country') }} = 2 then upper(accounts.country) end
        ) as country_code
    from accounts
    left join company_names
        on accounts.account_name = company_names.company_name
    left join country_aliases
        on lower(accounts.country) = country_aliases.alias
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
