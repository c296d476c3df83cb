{#- The keys of a JSON-object-as-text column across a built relation (the custom attributes a
    team loaded), sorted, each once: read while the model that needs them runs, so the model's SQL
    names every attribute. An empty list while parsing or before the relation exists. -#}
{% macro custom_attribute_names(relation, column) -%}
    {%- if not execute or load_relation(relation) is none -%}{{ return([]) }}{%- endif -%}
    {%- set found = run_query(adapter.dispatch('json_keys_query', 'leadscore')(relation, column)) -%}
    {{ return(found.columns[0].values() | reject('none') | map('string') | unique | sort | list) }}
{%- endmacro %}

{% macro default__json_keys_query(relation, column) -%}
    select distinct unnest(json_keys({{ column }})) as attribute
    from {{ relation }}
    where {{ column }} is not null
{%- endmacro %}

{% macro spark__json_keys_query(relation, column) -%}
    select distinct explode(json_object_keys({{ column }})) as attribute
    from {{ relation }}
    where {{ column }} is not null
{%- endmacro %}

{#- The contract and derived columns of int_contacts_enriched that calibration proposes fit rules
    on: every column a fit rule can name (fit_attribute_columns) but identifiers, names, free text
    and timestamps, which identify a lead rather than describe it. -#}
{% macro calibration_attribute_columns() -%}
    {%- set identifying = [
        'contact_id', 'email', 'first_name', 'last_name', 'phone', 'company_name', 'account_id',
        'account_name', 'account_domain', 'created_at', 'updated_at',
    ] -%}
    {{ return(leadscore.fit_attribute_columns() | reject('in', identifying) | list) }}
{%- endmacro %}
