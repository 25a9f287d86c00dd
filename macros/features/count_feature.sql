{#- A count feature read through a left join from an input's per-customer
    model: 0 for a customer without rows in the input, null when the input is
    switched off (the feature is unknown, not zero). -#}
{% macro count_feature(expression, input_name) %}
    {%- if segmentation.is_input_enabled(input_name) -%}
        coalesce({{ expression }}, 0)
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{% endmacro %}
