{#- Money amounts: a decimal wide enough for sums over many orders (32 integer
    digits). A line value (quantity x unit_price, at most 1e9 x 1e12 after
    staging's bounds) is cast to it before it is summed. -#}
{% macro type_money() %}
    {{ return(adapter.dispatch('type_money', 'segmentation')()) }}
{% endmacro %}

{% macro default__type_money() -%}
    numeric(38, 6)
{%- endmacro %}
