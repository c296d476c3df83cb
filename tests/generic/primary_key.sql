{#- A key column: fails for a null key and for every key that appears more than once. dbt's unique
    and not_null, in one query and one node of the build (each data test costs dbt a node). -#}
{% test primary_key(model, column_name) %}
select
    {{ column_name }} as key_value,
    count(*) as occurrences
from {{ model }}
group by {{ column_name }}
having count(*) > 1 or {{ column_name }} is null
{% endtest %}
