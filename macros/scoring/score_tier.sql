{#- The tier of a lead score: hot at or over the MQL threshold applied, warm at or over var
    warm_threshold, else cold. -#}
{% macro score_tier(lead_score_expr, mql_threshold_expr) -%}
    case
        when ({{ lead_score_expr }}) >= ({{ mql_threshold_expr }}) then 'hot'
        when ({{ lead_score_expr }}) >= {{ leadscore.number_var('warm_threshold') }} then 'warm'
        else 'cold'
    end
{%- endmacro %}
