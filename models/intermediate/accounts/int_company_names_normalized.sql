{#- Every company name typed in contacts or accounts, with the key that matches them: cleaned
    (clean_company_name) and without its legal suffix, so that "ACME Analytics S.A.S." and
    "Acme Analytics" meet. Of the suffixes of seeds/company_name_suffixes the name ends with, the
    longest is removed ("Pvt Ltd" before "Ltd"); a name that is only a suffix keeps it. -#}
with

contacts as (
    select * from {{ ref('int_contacts') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

company_name_suffixes as (
    select * from {{ ref('stg_reference__company_name_suffixes') }}
),

names as (
    select company_name
    from contacts
    where company_name is not null
    union
    select account_name as company_name
    from accounts
    where account_name is not null
),

names_cleaned as (
    select
        company_name,
        {{ leadscore.clean_company_name('company_name') }} as cleaned_name
    from names
),

suffixes_cleaned as (
    select distinct {{ leadscore.clean_company_name('suffix') }} as cleaned_suffix
    from company_name_suffixes
    where suffix is not null
),

suffix_matches as (
    select
        names_cleaned.company_name,
        suffixes_cleaned.cleaned_suffix,
        row_number() over (
            partition by names_cleaned.company_name
            order by {{ dbt.length('suffixes_cleaned.cleaned_suffix') }} desc, suffixes_cleaned.cleaned_suffix asc
        ) as suffix_rank
    from names_cleaned
    inner join suffixes_cleaned
        on names_cleaned.cleaned_name like {{ dbt.concat(["'% '", 'suffixes_cleaned.cleaned_suffix']) }}
    where suffixes_cleaned.cleaned_suffix <> ''
),

final as (
    select
        names_cleaned.company_name,
        names_cleaned.cleaned_name,
        suffix_matches.cleaned_suffix as legal_suffix,
        nullif(
            case
                when suffix_matches.cleaned_suffix is null then names_cleaned.cleaned_name
                else trim(substring(
                    names_cleaned.cleaned_name,
                    1,
                    {{ dbt.length('names_cleaned.cleaned_name') }} - {{ dbt.length('suffix_matches.cleaned_suffix') }}
                ))
            end,
            ''
        ) as normalized_company_name
    from names_cleaned
    left join suffix_matches
        on
            names_cleaned.company_name = suffix_matches.company_name
            and suffix_matches.suffix_rank = 1
)

select * from final
