{#- Feature sanity: fails for every non-null value outside [min_value,
    max_value] (either bound may be omitted). E.g. shares in [0, 1], money
    non-negative. -#}
{% test value_in_range(model, column_name, min_value=none, max_value=none) %}

{%- if min_value is none and max_value is none %}
    {{ exceptions.raise_compiler_error(
        "segmentation.value_in_range on " ~ model ~ "." ~ column_name ~ ": give min_value, max_value or both.") }}
{%- endif %}

select {{ column_name }} as out_of_range_value
from {{ model }}
where
    {%- if min_value is not none %}
    {{ column_name }} < {{ min_value }}
    {%- endif %}
    {%- if min_value is not none and max_value is not none %} or{% endif %}
    {%- if max_value is not none %}
    {{ column_name }} > {{ max_value }}
    {%- endif %}

{% endtest %}
