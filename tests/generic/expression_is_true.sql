{#- Fails for every row where the SQL expression is not true (null counts as not true). -#}
{% test expression_is_true(model, expression, column_name=none, where=none) %}
select *
from {{ model }}
where
    not coalesce({{ expression }}, false)
    {%- if where %}
    and ({{ where }})
    {%- endif %}
{% endtest %}
