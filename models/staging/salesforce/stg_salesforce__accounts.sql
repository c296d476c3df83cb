{{ config(enabled='salesforce' in var('source_systems')) }}
{#- Accounts that are neither deleted nor merged into another (master_record_id). The domain is the
    website's host name, lower-cased, without scheme, "www." or path. -#}
with

accounts as (
    select * from {{ ref('base_salesforce__account') }}
),

live_accounts as (
    select * from accounts
    where not is_deleted and master_record_id is null
),

final as (
    select
        -- ids
        account_id,

        -- strings
        account_name,
        nullif(
            {{ leadscore.regex_replace(
                leadscore.regex_replace('website', "'^[a-z]+://'", "''"),
                "'(^www[.])|([/?#:].*$)'", "''"
            ) }},
            ''
        ) as domain,
        industry,
        country,
        account_type,
        custom_attributes,

        -- numerics
        employee_count,
        annual_revenue,

        -- booleans
        cast(null as {{ dbt.type_boolean() }}) as is_target_account,

        -- timestamps
        created_at,
        updated_at,

        -- lineage
        'salesforce' as source_system

    from live_accounts
)

select * from final
