{#- Vars read through these macros fail the build with a message naming the var when their value
    is not what the engine expects, instead of producing wrong SQL. -#}
{% macro number_var(name, allow_null=false) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {%- if allow_null -%}{{ return(none) }}{%- endif -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a number, got nothing") }}
    {%- endif -%}
    {%- if value is boolean or not (value is number or modules.re.match('^-?[0-9]+([.][0-9]+)?$', value | string | trim)) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a number, got: " ~ value) }}
    {%- endif -%}
    {{ return(value | string | trim | float) }}
{%- endmacro %}

{% macro choice_var(name, choices) -%}
    {%- set value = var(name, none) | string | trim | lower -%}
    {%- if value not in choices -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be one of " ~ choices | join(', ') ~ ", got: " ~ var(name, none)) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{% macro bool_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is boolean -%}{{ return(value) }}{%- endif -%}
    {%- set text = value | string | trim | lower -%}
    {%- if text in ['true', 'yes', '1', 'on'] -%}{{ return(true) }}{%- endif -%}
    {%- if text in ['false', 'no', '0', 'off'] -%}{{ return(false) }}{%- endif -%}
    {{ exceptions.raise_compiler_error("var " ~ name ~ " must be true or false, got: " ~ value) }}
{%- endmacro %}

{#- A Jinja boolean as a SQL literal. -#}
{% macro sql_boolean(value) -%}
    {{ return('true' if value else 'false') }}
{%- endmacro %}
