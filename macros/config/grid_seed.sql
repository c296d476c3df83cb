{#- The seed holding the chosen grid (var scoring_grid) of a kind (fit_rules, engagement_rules):
    b2b_saas is seeds/<kind>.csv, any other grid seeds/grids/<kind>__<grid>.csv. `grid` names
    another grid than the chosen one (the challenger of champion / challenger scoring). A name with
    no such seed cannot be reported here: while dbt parses, a macro cannot see which seeds exist, and
    dbt checks the refs once parsing is done, stopping with "depends on a node named
    '<kind>__<grid>' which was not found". `leadscore build` checks the name before dbt starts and
    lists the grids (scripts/leadscore/grids.py). -#}
{% macro grid_seed(kind, grid=none) -%}
    {%- set grid = (grid if grid is not none else var('scoring_grid', 'b2b_saas')) | string | trim | lower -%}
    {%- if not modules.re.match('^[a-z0-9_]+$', grid) -%}
        {{ exceptions.raise_compiler_error("var scoring_grid must be a grid name (letters, digits, _), got: " ~ var('scoring_grid')) }}
    {%- endif -%}
    {{ return(ref(kind if grid == 'b2b_saas' else kind ~ '__' ~ grid)) }}
{%- endmacro %}
