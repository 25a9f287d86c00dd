{#- Sum of a floating-point expression that does not depend on the order the
    warehouse adds rows in: each term is rounded to 12 decimal places and summed
    as a decimal, then returned as a double. A plain sum of doubles under parallel
    aggregation can differ in its last bits from one build to the next. -#}
{% macro exact_sum(expression) %}
    {{ return(adapter.dispatch('exact_sum', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as numeric(38, 12))) as {{ segmentation.type_double() }})
{%- endmacro %}

