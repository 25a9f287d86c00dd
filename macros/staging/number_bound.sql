{#- The largest magnitude a number column of the contract accepts; a value
    beyond it is rejected as out_of_range. The bounds keep every later sum and
    product inside the money type (numeric(38, 6): 32 integer digits):
    quantity x unit_price <= 1e9 x 1e12 = 1e21, and sums of 1e21 over a
    billion order lines still fit. Quantities: at most 1e9 (a billion units on
    one line). Money (order_total, discount_total, unit_price, income): at most
    1e12 in the input currency. Returned as SQL numeric literals. -#}
{% macro number_bound(column_name) %}
    {%- if column_name == 'quantity' -%}
        {{ return('1000000000') }}
    {%- endif -%}
    {{ return('1000000000000') }}
{% endmacro %}
