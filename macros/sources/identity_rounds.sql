{#- How many rounds of label propagation int_identity_components computes (and identity_report
    compares the rounds needed with): var identity_max_iterations, or at most 3 with raw alone. There
    every edge joins a contact to its one email (stg_raw__identity_edges), so a component is an email
    and its contacts: two rounds reach the fixed point and the third shows that nothing changes. -#}
{% macro identity_rounds() -%}
    {%- set rounds = var('identity_max_iterations', 12) | int -%}
    {{ return(rounds if leadscore.identity_stitching_needed() else [rounds, 3] | min) }}
{%- endmacro %}
