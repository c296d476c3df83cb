{#- The shape of int_mql_crossings_located's search for the crossing second inside a gap: each
    step scores 2^bits - 1 evenly spaced seconds (bits at most 12) and keeps the sub-gap where the
    score first reaches the threshold; bits x steps >= 35 narrows any gap under a thousand years
    down to one second. DuckDB plans each CTE once: many cheap steps (31 probes, 7 steps). Spark's
    analyzer inlines a CTE at every reference (a view or table is created from the query), and
    each step still reads the one before 5 times (its points once, and the probes among them,
    which the scoring reads 4 times), so the plan grows 5-fold per step: few wide steps (4,095
    probes, 3 steps: about 2,500 CTE copies once inlined, against 1.6 million for 7 steps). The
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
