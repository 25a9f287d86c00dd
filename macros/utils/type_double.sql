{#- A double-precision float. dbt's type_float gives FLOAT, which is single
    precision on DuckDB; features and the lifetimes summary need doubles. -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'segmentation')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}
