{#- Signed points as text for explanations: +20 for whole numbers, +52.1 otherwise
    (decayed engagement always shows one decimal: +50.0). -#}
{% macro format_points(points_expr, always_decimal_expr='false') -%}
    case when {{ points_expr }} >= 0 then '+' else '' end
    || case
        when not ({{ always_decimal_expr }}) and {{ points_expr }} = round({{ points_expr }}, 0)
            then cast(cast(round({{ points_expr }}, 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        else cast(round({{ points_expr }}, 1) as {{ dbt.type_string() }})
    end
{%- endmacro %}
