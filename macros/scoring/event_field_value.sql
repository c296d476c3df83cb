{#- The value of an event that an engagement rule's match_field names (url, asset, campaign or
    properties.<key>), null for a rule without match_field. Shared by every model that matches
    events to rules, so they all read the same field. -#}
{% macro event_field_value(event_alias, rule_alias) -%}
    case
        when {{ rule_alias }}.match_field = 'url' then {{ event_alias }}.url
        when {{ rule_alias }}.match_field = 'asset' then {{ event_alias }}.asset
        when {{ rule_alias }}.match_field = 'campaign' then {{ event_alias }}.campaign
        when {{ rule_alias }}.match_field like 'properties.%'
            then {{ leadscore.json_text_value(
                event_alias ~ '.properties',
                'substring(' ~ rule_alias ~ '.match_field, 12)'
            ) }}
    end
{%- endmacro %}
