{#- Money amounts: a decimal wide enough for sums over many orders (32 integer
    digits). A line value (quantity x unit_price, at most 1e9 x 1e12 after
    staging's bounds) is cast to it before it is summed. -#}
{% macro type_money() %}
    {{ return(adapter.dispatch('type_money', 'segmentation')()) }}
{% endmacro %}

{% macro default__type_money() -%}
    numeric(38, 6)
{%- endmacro %}


{#- A line's value, `quantity` x `unit_price` (both number-kind columns, at most
    1e9 and 1e12 after staging's bounds) as money. -#}
{% macro money_product(quantity, unit_price) %}
    {{ return(adapter.dispatch('money_product', 'segmentation')(quantity, unit_price)) }}
{% endmacro %}

{% macro default__money_product(quantity, unit_price) -%}
    cast({{ quantity }} * {{ unit_price }} as {{ segmentation.type_money() }})
{%- endmacro %}

{#- DuckDB multiplies two numeric(28, 6) as 128-bit decimals, and rounding that
    product to money took 10 s of 13 at 32M order lines. When both factors fit
    numeric(18, 6) and the product stays below 10^6, DuckDB multiplies in 64
    bits (exact; it raises on overflow, which the guard rules out): the same
    value, 17x faster. Larger products take the general path. -#}
{% macro duckdb__money_product(quantity, unit_price) -%}
    case
        when abs({{ unit_price }}) < 1000000000000
            and abs(cast({{ quantity }} as double) * cast({{ unit_price }} as double)) < 999999
            then cast(cast({{ quantity }} as numeric(18, 6)) * cast({{ unit_price }} as numeric(18, 6))
                as {{ segmentation.type_money() }})
        else {{ segmentation.default__money_product(quantity, unit_price) }}
    end
{%- endmacro %}
