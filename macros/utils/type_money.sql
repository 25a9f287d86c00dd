{#- Money amounts: a decimal wide enough for sums over many orders. -#}
{% macro type_money() %}
    {{ return(adapter.dispatch('type_money', 'segmentation')()) }}
{% endmacro %}

{% macro default__type_money() -%}
    numeric(38, 6)
{%- endmacro %}
