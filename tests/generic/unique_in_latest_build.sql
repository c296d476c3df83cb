{#- dbt's unique test on the rows the latest build wrote of an incremental model (macro
    latest_build_filter): fails for every value of the column that appears more than once among them. -#}
{% test unique_in_latest_build(model, column_name) %}
select
    {{ column_name }} as unique_field,
    count(*) as occurrences
from {{ model }}
where
    {{ column_name }} is not null
    and {{ leadscore.latest_build_filter(model) }}
group by {{ column_name }}
having count(*) > 1
{% endtest %}
