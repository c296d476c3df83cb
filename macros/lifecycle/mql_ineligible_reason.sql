{#- Why a contact may not be an MQL whatever its score (null when it may): do_not_contact,
    consent_refused (consent explicitly false; unknown consent does not block), disqualified or
    customer (its lead status, var disqualified_statuses / customer_statuses, or a customer
    account), no_engagement (engagement_score <= 0 while var mql_requires_engagement). -#}
{% macro mql_ineligible_reason(is_do_not_contact, has_marketing_consent, lead_status, account_type, engagement_score) -%}
    case
        when coalesce({{ is_do_not_contact }}, false) then 'do_not_contact'
        when {{ has_marketing_consent }} = false then 'consent_refused'
        when {{ lead_status }} in ({{ leadscore.sql_string_list(var('disqualified_statuses'), 'disqualified_statuses') }})
            then 'disqualified'
        when
            {{ lead_status }} in ({{ leadscore.sql_string_list(var('customer_statuses'), 'customer_statuses') }})
            or {{ account_type }} = 'customer'
            then 'customer'
        when {{ leadscore.sql_boolean(leadscore.bool_var('mql_requires_engagement')) }} and {{ engagement_score }} <= 0
            then 'no_engagement'
    end
{%- endmacro %}
