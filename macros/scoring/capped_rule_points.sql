{#- An engagement rule's decayed total for one contact after the rule's max_points: a cap on the
    absolute value, applied after decay (a negative rule is capped at -max_points). -#}
{% macro capped_rule_points(total_expr, max_points_expr) -%}
    case
        when
            ({{ max_points_expr }}) is not null
            and abs({{ total_expr }}) > ({{ max_points_expr }})
            then sign({{ total_expr }}) * ({{ max_points_expr }})
        else {{ total_expr }}
    end
{%- endmacro %}
