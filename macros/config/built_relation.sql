{#- The relation a node of this project (a seed or a model, by name) was built as, or none when it is not
    built (yet). Read the table itself, not ref(), where a unit test must not replace it by a fixture:
    a grid or mapping read when a model is compiled, the identity graph behind an incremental key. -#}
{% macro built_relation(resource_type, name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set nodes = (graph.get('nodes') or {}).values() | selectattr('resource_type', 'equalto', resource_type)
        | selectattr('name', 'equalto', name) | list -%}
    {%- if not nodes -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(
        database=nodes[0].database, schema=nodes[0].schema, identifier=nodes[0].alias or nodes[0].name
    )) }}
{%- endmacro %}
