{#- The scoring instant as a UTC timestamp literal. The var as_of (or, when it is not set, the
    environment's LEADSCORE_AS_OF, which `leadscore build --as-of` sets) accepts ISO-8601 with or
    without an offset (an offset is converted to UTC); without either, the instant the dbt run
    started, so every model of one build scores as of the same instant. -#}
{% macro as_of_timestamp() -%}
    cast('{{ leadscore.as_of_text() }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro as_of_text() -%}
    {%- set raw = var('as_of', none) -%}
    {#- the leadscore CLI hands the instant over in LEADSCORE_AS_OF, read only while running (dbt
        keeps its parse when the vars are those of the build before: scripts/leadscore/build.py) -#}
    {%- if (raw is none or (raw | string | trim) == '') and execute -%}
        {%- set raw = env_var('LEADSCORE_AS_OF', '') -%}
    {%- endif -%}
    {%- if raw is none or (raw | string | trim) == '' -%}
        {{ return(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
    {%- endif -%}
    {%- set text = (raw | string | trim).replace('Z', '+00:00').replace('z', '+00:00').replace(' ', 'T') -%}
    {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?([+-][0-9]{2}:[0-9]{2})?$' -%}
    {%- if not modules.re.match(pattern, text) -%}
        {{ exceptions.raise_compiler_error("var as_of: '" ~ raw ~ "' is not an ISO-8601 timestamp (e.g. 2024-06-30T12:00:00Z)") }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.fromisoformat(text) -%}
    {%- if parsed.tzinfo is not none -%}
        {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
    {%- endif -%}
    {{ return(parsed.strftime('%Y-%m-%d %H:%M:%S')) }}
{%- endmacro %}
