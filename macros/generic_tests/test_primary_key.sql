{#- A composite primary key: fails with every combination of `columns` that
    is null in any part or appears in more than one row. -#}
{% test primary_key(model, columns) %}

select
    {%- for column in columns %}
    {{ column }},
    {%- endfor %}
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
    {%- for column in columns %}
    or {{ column }} is null
    {%- endfor %}

{% endtest %}
