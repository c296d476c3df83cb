{#- The shape of int_mql_crossings_located's search for the crossing second inside a gap: each
    step scores 2^bits - 1 evenly spaced seconds (bits at most 12) and keeps the sub-gap where the
    score first reaches the threshold; bits x steps >= 35 narrows any gap under a thousand years
    down to one second. DuckDB plans each CTE once: many cheap steps (31 probes, 7 steps). Spark's
    analyzer inlines a CTE at every reference (a view or table is created from the query), and
    each step still reads the one before twice (its points, by the probes' rule totals and by the
    step's result), so the plan doubles per step: few wide steps (4,095 probes, 3 steps). The
    crossings are the same. -#}
{% macro crossing_search_shape() -%}
    {{ return(adapter.dispatch('crossing_search_shape', 'leadscore')()) }}
{%- endmacro %}

{% macro default__crossing_search_shape() -%}
    {{ return({'bits': 5, 'steps': 7}) }}
{%- endmacro %}

{% macro spark__crossing_search_shape() -%}
    {{ return({'bits': 12, 'steps': 3}) }}
{%- endmacro %}
