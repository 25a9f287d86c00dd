{#- numerator / denominator as a double, null when the denominator is 0 or null. -#}
{% macro safe_divide(numerator, denominator) %}
    (cast({{ numerator }} as {{ segmentation.type_double() }}) / nullif({{ denominator }}, 0))
{%- endmacro %}
