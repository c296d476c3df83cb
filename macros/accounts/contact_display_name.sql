{#- How explanations name a contact: first and last name, else the email, else the contact_id. -#}
{% macro contact_display_name(alias) -%}
    case
        when {{ alias }}.first_name is null and {{ alias }}.last_name is null
            then coalesce({{ alias }}.email, {{ alias }}.contact_id)
        else trim(coalesce({{ alias }}.first_name, '') || ' ' || coalesce({{ alias }}.last_name, ''))
    end
{%- endmacro %}
