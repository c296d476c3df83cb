{#- A company name (or a legal suffix) reduced to comparable words: lower-case, common accents
    folded, dots dropped (S.A. -> sa), any other run of non-alphanumeric characters turned into
    one space, trimmed. Legal suffixes are removed afterwards, against seeds/company_name_suffixes. -#}
{% macro clean_company_name(name_expr) -%}
    trim({{ leadscore.regex_replace(
        leadscore.regex_replace(
            "translate(lower(" ~ name_expr ~ "), 'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ', 'aaaaaaceeeeiiiinoooooouuuuyy')",
            "'[.]'",
            "''"
        ),
        "'[^a-z0-9]+'",
        "' '"
    ) }})
{%- endmacro %}
