{#- The inactivity penalty applies when the contact's last scored event is older than
    inactivity_days: an event exactly that old still counts as recent. -#}
{% macro is_inactive(last_event_age_days_expr, inactivity_days_expr) -%}
    ({{ last_event_age_days_expr }}) > ({{ inactivity_days_expr }})
{%- endmacro %}

{#- The engagement cap's contribution: the points above var engagement_cap taken back, when the
    contact has no event of an unlock rule (has_unlock_expr: 1 when it has one); null when the
    cap does not apply (no cap set, under or at the cap, or unlocked). -#}
{% macro engagement_cap_points(engagement_expr, has_unlock_expr) -%}
    {%- set engagement_cap = leadscore.number_var('engagement_cap', allow_null=true) -%}
    {%- set cap_sql = engagement_cap if engagement_cap is not none else 'cast(null as double)' -%}
    case
        when ({{ has_unlock_expr }}) = 0 and ({{ engagement_expr }}) > {{ cap_sql }}
            then {{ cap_sql }} - ({{ engagement_expr }})
    end
{%- endmacro %}
