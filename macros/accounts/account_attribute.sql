{#- The columns of int_accounts_enriched an account fit rule can name directly. Any other
    attribute is read from the account's custom columns. -#}
{% macro account_attribute_columns() -%}
    {{ return([
        'account_id', 'account_name', 'domain', 'industry', 'employee_count', 'annual_revenue',
        'country', 'country_code', 'is_target_country', 'is_target_account', 'account_type',
        'created_at', 'updated_at',
    ]) }}
{%- endmacro %}

{#- The value, as text, of the account attribute named by a rule (attribute_expr is a SQL
    expression holding the name, e.g. a column of the account_fit_rules seed). -#}
{% macro account_attribute(account_alias, attribute_expr) -%}
    case lower({{ attribute_expr }})
        {%- for column in leadscore.account_attribute_columns() %}
        when '{{ column }}' then cast({{ account_alias }}.{{ column }} as {{ dbt.type_string() }})
        {%- endfor %}
        else {{ leadscore.json_text_value(account_alias ~ '.custom_attributes', attribute_expr) }}
    end
{%- endmacro %}
