{#- Fails when the number of distinct non-null values of the column (the
    segments) is below min_count or above max_count. -#}
{% test segment_count_between(model, column_name, min_count=1, max_count=none) %}

with

segments as (
    select count(distinct {{ column_name }}) as segment_count
    from {{ model }}
),

final as (
    select
        segment_count,
        {{ min_count }} as min_count,
        {{ max_count if max_count is not none else 'null' }} as max_count
    from segments
    where segment_count < {{ min_count }}
    {%- if max_count is not none %}
        or segment_count > {{ max_count }}
    {%- endif %}
)

select * from final

{% endtest %}
