-- One row per accepted customer: interests and benefits sought. Category
-- affinity (share of spend per category, one column per category), price-tier
-- preference, discount sensitivity, and declared attributes pivoted from
-- customer_attributes. The pivots read their long form,
-- int_segmentation__customer_attribute_values, and take its column names
-- (psychographic_pivots, docs/decisions/0016). A switched-off input's
-- models are empty: its features are null, its pivot columns absent.
{%- set categories = segmentation.psychographic_pivots('category_affinity') %}
{%- set attributes = segmentation.psychographic_pivots('declared_attribute') %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

orders as (
    select
        orders_as_of.customer_id,
        orders_as_of.order_total,
        coalesce(orders_as_of.discount_total, 0) as discount_total
    from {{ ref('int_segmentation__orders_as_of') }} as orders_as_of
),

-- The median unit price per category from the counts of each price: the
-- middle one or two prices by position go through the engine's own median, so
-- the value is exactly median() over every line, without holding 32M prices in
-- memory at 1M customers (a holistic median cannot spill to disk).
price_counts as (
    select
        order_items.category,
        order_items.unit_price,
        count(*) as line_count
    from {{ ref('int_segmentation__order_lines') }} as order_items
    where order_items.unit_price is not null
    group by order_items.category, order_items.unit_price
),

price_positions as (
    select
        price_counts.category,
        price_counts.unit_price,
        sum(price_counts.line_count) over (
            partition by price_counts.category
            order by price_counts.unit_price
            rows between unbounded preceding and current row
        ) as last_position,
        price_counts.line_count,
        sum(price_counts.line_count) over (partition by price_counts.category) as category_lines
    from price_counts
),

-- The prices at the lower and upper middle positions (one row when both fall
-- on the same price, as they do for an odd count).
middle_prices as (
    select
        price_positions.category,
        price_positions.unit_price
    from price_positions
    where
        floor((price_positions.category_lines + 1) / 2.0)
        between price_positions.last_position - price_positions.line_count + 1 and price_positions.last_position
        or floor((price_positions.category_lines + 2) / 2.0)
        between price_positions.last_position - price_positions.line_count + 1 and price_positions.last_position
),

categories as (
    select distinct order_items.category
    from {{ ref('int_segmentation__order_lines') }} as order_items
),

category_prices as (
    select
        categories.category,
        {{ segmentation.median('middle_prices.unit_price') }} as median_unit_price
    from categories
    left join middle_prices
        on categories.category = middle_prices.category
    group by categories.category
),

priced_items as (
    select
        order_items.customer_id,
        order_items.category,
        order_items.quantity,
        {{ segmentation.safe_divide('order_items.unit_price', 'category_prices.median_unit_price') }} as price_index
    from {{ ref('int_segmentation__order_lines') }} as order_items
    inner join category_prices
        on order_items.category = category_prices.category
),

price_tiers as (
    select
        priced_items.customer_id,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index >= ' ~ segmentation.setting('segmentation__premium_price_ratio')
            ~ ' then priced_items.quantity else 0 end)',
            'sum(priced_items.quantity)'
        ) }} as premium_item_share,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index <= ' ~ segmentation.setting('segmentation__value_price_ratio')
            ~ ' then priced_items.quantity else 0 end)',
            'sum(priced_items.quantity)'
        ) }} as value_item_share,
        {{ segmentation.safe_divide(
            segmentation.exact_sum('priced_items.price_index * priced_items.quantity'),
            'sum(priced_items.quantity)'
        ) }} as average_price_index
    from priced_items
    group by priced_items.customer_id
),

discounts as (
    select
        orders.customer_id,
        {{ segmentation.safe_divide('sum(orders.discount_total)', 'sum(orders.order_total + orders.discount_total)') }}
            as discount_sensitivity
    from orders
    group by orders.customer_id
),

attribute_values as (
    select * from {{ ref('int_segmentation__customer_attribute_values') }}
),

affinity as (
    select
        attribute_values.customer_id,
        {{ segmentation.exact_sum('attribute_values.spend_share * attribute_values.spend_share') }}
            as category_concentration
        {%- for category in categories %},
        coalesce(
            max(
                case
                    when attribute_values.column_name = {{ segmentation.sql_literal(category['column']) }}
                        then attribute_values.spend_share
                end
            ),
            0
        ) as {{ category['column'] }}{% endfor %}
    from attribute_values
    where attribute_values.attribute_kind = 'category_affinity'
    group by attribute_values.customer_id
),

declared as (
    select
        attribute_values.customer_id
        {%- for attribute in attributes %},
        max(
            case
                when attribute_values.column_name = {{ segmentation.sql_literal(attribute['column']) }}
                    then attribute_values.declared_value
            end
        ) as {{ attribute['column'] }}{% endfor %}
    from attribute_values
    where attribute_values.attribute_kind = 'declared_attribute'
    group by attribute_values.customer_id
),

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        case
            when price_tiers.premium_item_share >= 0.5 then 'premium'
            when price_tiers.value_item_share >= 0.5 then 'value'
            when price_tiers.premium_item_share is not null then 'mixed'
        end as price_tier_preference,
        {%- for attribute in attributes %}
        declared.{{ attribute['column'] }},
        {%- endfor %}
        -- numbers
        price_tiers.premium_item_share,
        price_tiers.value_item_share,
        price_tiers.average_price_index,
        discounts.discount_sensitivity,
        {%- for category in categories %}
        affinity.{{ category['column'] }},
        {%- endfor %}
        affinity.category_concentration
    from customers
    left join affinity
        on customers.customer_id = affinity.customer_id
    left join price_tiers
        on customers.customer_id = price_tiers.customer_id
    left join discounts
        on customers.customer_id = discounts.customer_id
    left join declared
        on customers.customer_id = declared.customer_id
)

select * from final
