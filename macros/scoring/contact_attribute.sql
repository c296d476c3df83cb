{#- The columns of int_contacts_enriched a fit rule can name directly. Any other attribute is read
    from the contact's custom columns, or, with the `account_` prefix, from its account's. -#}
{% macro fit_attribute_columns() -%}
    {{ return([
        'contact_id', 'email', 'first_name', 'last_name', 'job_title', 'company_name', 'account_id',
        'industry', 'employee_count', 'annual_revenue', 'country', 'state', 'city', 'phone',
        'lead_source', 'purchase_authority', 'purchase_timeline', 'uses_competitor',
        'has_marketing_consent', 'is_do_not_contact', 'created_at', 'updated_at',
        'email_domain', 'email_type', 'job_level', 'job_function', 'country_code',
        'is_target_country', 'name_has_digits', 'data_completeness_pct',
        'account_name', 'account_domain', 'account_industry', 'account_employee_count',
        'account_annual_revenue', 'account_country', 'account_is_target_account', 'account_type',
    ]) }}
{%- endmacro %}

{#- The value, as text, of the contact attribute named by a rule (attribute_expr is a SQL
    expression holding the name, e.g. a column of the fit_rules seed). -#}
{% macro contact_attribute(contact_alias, attribute_expr) -%}
    case lower({{ attribute_expr }})
        {%- for column in leadscore.fit_attribute_columns() %}
        when '{{ column }}' then cast({{ contact_alias }}.{{ column }} as {{ dbt.type_string() }})
        {%- endfor %}
        else coalesce(
            {{ leadscore.json_text_value(contact_alias ~ '.custom_attributes', attribute_expr) }},
            case
                when lower({{ attribute_expr }}) like 'account^_%' escape '^'
                    then {{ leadscore.json_text_value(contact_alias ~ '.account_custom_attributes', 'substring(' ~ attribute_expr ~ ', 9)') }}
            end
        )
    end
{%- endmacro %}
