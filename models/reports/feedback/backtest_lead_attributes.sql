{#- What rule discovery (`leadscore calibrate`) reads of each backtest lead's fit: one row per lead
    and attribute it has a value for, read as a fit rule reads it (contact_attribute): the contract
    and derived columns of calibration_attribute_columns, every custom attribute the contacts carry,
    and every custom attribute of their accounts under the account_ prefix. No row: the attribute is
    null for the lead. -#}
{%- set contract = leadscore.calibration_attribute_columns() -%}
{%- set custom = leadscore.custom_attribute_names(ref('int_contacts_enriched'), 'custom_attributes')
    | reject('in', leadscore.fit_attribute_columns()) | list -%}
{%- set names = contract + custom -%}
{%- for key in leadscore.custom_attribute_names(ref('int_contacts_enriched'), 'account_custom_attributes') -%}
    {%- do names.append('account_' ~ key) -%}
{%- endfor -%}
{%- set names = names | unique | list -%}

with

decision_instants as (
    select * from {{ ref('int_backtest_decision_instants') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

attributes as (
    {%- for name in names %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select cast('{{ name | replace("'", "''") }}' as {{ dbt.type_string() }}) as attribute
    {%- endfor %}
),

backtest_contacts as (
    select contacts.*
    from contacts
    inner join decision_instants
        on contacts.contact_id = decision_instants.contact_id
),

attribute_values as (
    select
        backtest_contacts.contact_id,
        attributes.attribute,
        {{ leadscore.contact_attribute('backtest_contacts', 'attributes.attribute') }} as text_value
    from backtest_contacts
    cross join attributes
),

final as (
    select
        {{ dbt.concat(['contact_id', "'|'", 'attribute']) }} as lead_attribute_id,
        contact_id,
        attribute,
        text_value,
        {{ leadscore.to_number('text_value') }} as number_value
    from attribute_values
    where text_value is not null
)

select * from final
