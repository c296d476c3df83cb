{#- Two CTEs, bands_reached and grades: per row of `dimension_scores` (key, dimension, score), the
    band of `grade_bands` (dimension, band, min_score) with the highest min_score the score reaches
    (the band without one is the floor; min_score is the seed's text, validated as a number), then fit_grade and engagement_grade per key. Shared by
    lead_scores, account_scores and int_feedback_lead_scores. -#}
{% macro grades_from_bands(key, dimension_scores, grade_bands) -%}
bands_reached as (
    select
        {{ dimension_scores }}.{{ key }},
        {{ dimension_scores }}.dimension,
        {{ grade_bands }}.band,
        row_number() over (
            partition by {{ dimension_scores }}.{{ key }}, {{ dimension_scores }}.dimension
            order by coalesce({{ leadscore.to_number(grade_bands ~ '.min_score') }}, -1e300) desc
        ) as band_rank
    from {{ dimension_scores }}
    inner join {{ grade_bands }}
        on
            {{ dimension_scores }}.dimension = {{ grade_bands }}.dimension
            and (
                {{ leadscore.to_number(grade_bands ~ '.min_score') }} is null
                or {{ dimension_scores }}.score >= {{ leadscore.to_number(grade_bands ~ '.min_score') }}
            )
),

grades as (
    select
        {{ key }},
        max(case when dimension = 'fit' then band end) as fit_grade,
        max(case when dimension = 'engagement' then band end) as engagement_grade
    from bands_reached
    where band_rank = 1
    group by {{ key }}
)
{%- endmacro %}
