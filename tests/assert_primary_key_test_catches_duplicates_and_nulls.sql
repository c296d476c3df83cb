{#- The generic test primary_key (tests/generic/primary_key.sql) run on rows whose failures are known:
    key a twice and a null key fail, key b does not. Returns a row when it does not catch exactly
    those two. -#}
with

sample_keys as (
    select 'a' as sample_key
    union all
    select 'a' as sample_key
    union all
    select 'b' as sample_key
    union all
    select cast(null as {{ dbt.type_string() }}) as sample_key
),

caught as (
    {{ test_primary_key(model='sample_keys', column_name='sample_key') }}
),

summary as (
    select
        count(*) as caught_keys,
        sum(case when key_value = 'a' and occurrences = 2 then 1 else 0 end) as caught_duplicates,
        sum(case when key_value is null then 1 else 0 end) as caught_nulls
    from caught
),

final as (
    select *
    from summary
    where caught_keys <> 2 or caught_duplicates <> 1 or caught_nulls <> 1
)

select * from final
