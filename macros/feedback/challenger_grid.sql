{#- The grid named by var challenger_grid (champion / challenger scoring), none when it is not set. -#}
{% macro challenger_grid() -%}
    {%- set grid = var('challenger_grid', none) -%}
    {%- if grid is none or (grid | string | trim) == '' -%}{{ return(none) }}{%- endif -%}
    {%- set grid = grid | string | trim | lower -%}
    {%- if not modules.re.match('^[a-z0-9_]+$', grid) -%}
        {{ exceptions.raise_compiler_error("var challenger_grid must be a grid name (letters, digits, _), got: " ~ var('challenger_grid')) }}
    {%- endif -%}
    {{ return(grid) }}
{%- endmacro %}

{#- The grid named by var scoring_grid, lower-cased (the champion). -#}
{% macro champion_grid() -%}
    {{ return(var('scoring_grid', 'b2b_saas') | string | trim | lower) }}
{%- endmacro %}
