{{ config(enabled=segmentation.setting('segmentation__using_order_items')) }}
-- One row per accepted order line of an order on or before the as-of date, with
-- its order's customer: order_items read and joined to orders once, for
-- behaviour, psychographics and category_spend. Lines have no key: identical
-- lines are all kept.
with

orders as (
    select
        orders_as_of.order_id,
        orders_as_of.customer_id
    from {{ ref('int_segmentation__orders_as_of') }} as orders_as_of
),

order_items as (
    select
        stg_items.order_id,
        stg_items.category,
        stg_items.quantity,
        stg_items.unit_price
    from {{ ref('stg_segmentation__order_items') }} as stg_items
),

final as (
    select
        -- ids
        orders.customer_id,
        order_items.order_id,
        -- strings
        order_items.category,
        -- numbers
        order_items.quantity,
        order_items.unit_price
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
)

select * from final
