{#- leadscore.text_literal writes a text from a seed (an exclusion's regex, its reason) as a SQL literal
    that each engine reads back as the same text: a backslash, a quote and a regex with an escaped dot
    (Spark reads a backslash in a literal as an escape). Returns every literal that does not. -#}
with

checks as (
    select
        'backslash and quote' as case_name,
        {{ leadscore.text_literal("a\\.b'c") }} as literal_text,
        {{ dbt.concat(["'a'", 'chr(92)', "'.b'", 'chr(39)', "'c'"]) }} as expected_text,
        true as regex_outcome,
        true as expected_outcome
    union all
    select
        'escaped dot matches a dot' as case_name,
        'x' as literal_text,
        'x' as expected_text,
        {{ leadscore.regex_matches("'ann@example.com'", leadscore.text_literal('^(?:[^@]*@example\\.com)$')) }} as regex_outcome,
        true as expected_outcome
    union all
    select
        'escaped dot is no wildcard' as case_name,
        'x' as literal_text,
        'x' as expected_text,
        {{ leadscore.regex_matches("'ann@exampleXcom'", leadscore.text_literal('^(?:[^@]*@example\\.com)$')) }} as regex_outcome,
        false as expected_outcome
),

final as (
    select *
    from checks
    where literal_text <> expected_text or regex_outcome <> expected_outcome
)

select * from final
