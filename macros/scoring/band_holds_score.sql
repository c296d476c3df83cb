{#- True when a grade band (a row of stg_grid__grade_bands or stg_grid__account_grade_bands, by its
    relation name `bands`) holds `score`: min_score <= score < max_score, the floor band having no
    min_score and the top band no max_score. The one definition of a grade, read by lead_scores,
    account_scores and int_lead_scores_by_scoring. -#}
{% macro band_holds_score(bands, score) -%}
    ({{ bands }}.min_score is null or {{ score }} >= {{ bands }}.min_score)
    and ({{ bands }}.max_score is null or {{ score }} < {{ bands }}.max_score)
{%- endmacro %}
