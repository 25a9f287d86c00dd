{#- Mean of a floating-point expression over its non-null values, summed with
    exact_sum: the same value whatever order the warehouse adds rows in. -#}
{% macro exact_mean(expression) -%}
    {{ segmentation.safe_divide(segmentation.exact_sum(expression), 'count(' ~ expression ~ ')') }}
{%- endmacro %}
