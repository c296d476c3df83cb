{#- The HubSpot properties (Fivetran's property_* columns) that fill a column of the contract
    (SPEC section 2), per object: contract column -> property column. Every other property_* column
    becomes a custom attribute under its name without the prefix (hubspot_custom_attributes). -#}
{% macro hubspot_contract_properties(object_name) -%}
    {%- if object_name == 'contact' -%}
        {{ return({
            'email': 'property_email',
            'first_name': 'property_firstname',
            'last_name': 'property_lastname',
            'job_title': 'property_jobtitle',
            'company_name': 'property_company',
            'account_id': 'property_associatedcompanyid',
            'industry': 'property_industry',
            'employee_count': 'property_numemployees',
            'annual_revenue': 'property_annualrevenue',
            'country': 'property_country',
            'state': 'property_state',
            'city': 'property_city',
            'phone': 'property_phone',
            'lead_source': 'property_hs_analytics_source',
            'purchase_authority': 'property_purchase_authority',
            'purchase_timeline': 'property_purchase_timeline',
            'uses_competitor': 'property_uses_competitor',
            'created_at': 'property_createdate',
            'updated_at': 'property_lastmodifieddate',
            'merged_object_ids': 'property_hs_merged_object_ids',
            'lead_status': 'property_hs_lead_status',
            'lifecycle_stage': 'property_lifecyclestage',
        }) }}
    {%- elif object_name == 'company' -%}
        {{ return({
            'account_name': 'property_name',
            'domain': 'property_domain',
            'industry': 'property_industry',
            'employee_count': 'property_numberofemployees',
            'annual_revenue': 'property_annualrevenue',
            'country': 'property_country',
            'state': 'property_state',
            'city': 'property_city',
            'account_type': 'property_type',
            'is_target_account': 'property_hs_is_target_account',
            'created_at': 'property_createdate',
            'updated_at': 'property_hs_lastmodifieddate',
        }) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("hubspot_contract_properties: unknown object '" ~ object_name ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#- The lifecycle stages of the contact's date properties property_hs_lifecyclestage_<stage>_date
    (when the contact entered each stage), as (stage, column) pairs, from the table's columns. -#}
{% macro hubspot_lifecycle_date_columns(columns) -%}
    {%- set pairs = [] -%}
    {%- for column in columns | sort -%}
        {%- set found = modules.re.match('^property_hs_lifecyclestage_([a-z0-9_]+)_date$', column) -%}
        {%- if found -%}{%- do pairs.append((found.group(1), column)) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{#- The custom attributes of a HubSpot object as a JSON object text: every property_* column of the
    table that is not a contract column (nor a lifecycle date), under its name without the prefix. -#}
{% macro hubspot_custom_attributes(columns, object_name) -%}
    {%- set used = leadscore.hubspot_contract_properties(object_name).values() | list -%}
    {%- for stage, column in leadscore.hubspot_lifecycle_date_columns(columns) -%}{%- do used.append(column) -%}{%- endfor -%}
    {%- set pairs = [] -%}
    {%- for column in columns | sort -%}
        {%- if column.startswith('property_') and column not in used -%}
            {%- do pairs.append((column[9:], 'nullif(trim(cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')), \'\')')) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ leadscore.json_object_text(pairs) }}
{%- endmacro %}
