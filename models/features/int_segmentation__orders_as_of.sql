{{ config(materialized='view') }}
-- One row per accepted order on or before the as-of date, with the columns the
-- feature models read: the one read of the orders input that rfm, lifecycle,
-- behaviour, psychographics and order_lines share.
with

orders as (
    select
        stg_orders.order_id,
        stg_orders.customer_id,
        stg_orders.channel,
        stg_orders.status,
        stg_orders.order_total,
        stg_orders.discount_total,
        stg_orders.ordered_at,
        cast(stg_orders.ordered_at as date) as order_date
    from {{ ref('stg_segmentation__orders') }} as stg_orders
),

final as (
    select
        -- ids
        orders.order_id,
        orders.customer_id,
        -- strings
        orders.channel,
        orders.status,
        -- numbers
        orders.order_total,
        orders.discount_total,
        -- dates
        orders.order_date,
        orders.ordered_at
    from orders
    {{ segmentation.as_of_cut('orders.order_date') }}
)

select * from final
