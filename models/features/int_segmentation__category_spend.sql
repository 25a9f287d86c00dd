-- One row per customer and category bought up to the as-of date: the customer's
-- spend in the category (quantity x unit_price of each order line, as money,
-- summed), for the category features of int_segmentation__behaviour and the
-- category affinities of int_segmentation__customer_attribute_values.
with

order_lines as (
    select
        order_lines.customer_id,
        order_lines.category,
        {{ segmentation.money_product('order_lines.quantity', 'order_lines.unit_price') }} as line_value
    from {{ ref('int_segmentation__order_lines') }} as order_lines
),

final as (
    select
        -- ids
        order_lines.customer_id,
        -- strings
        order_lines.category,
        -- numbers
        sum(order_lines.line_value) as category_value
    from order_lines
    group by order_lines.customer_id, order_lines.category
)

select * from final
