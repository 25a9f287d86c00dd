{{ config(materialized='view') }}
-- One row per accepted order line of an order on or before the as-of date, with
-- its order's customer: for behaviour, psychographics and category_spend. Staging
-- already carries each line's customer and order time (from the join that checks
-- the order), so no join to orders is needed here. Lines have no key: identical
-- lines are all kept.
with

order_items as (
    select
        stg_items.customer_id,
        stg_items.order_id,
        stg_items.category,
        stg_items.quantity,
        stg_items.unit_price,
        stg_items.ordered_at
    from {{ ref('stg_segmentation__order_items') }} as stg_items
),

final as (
    select
        -- ids
        order_items.customer_id,
        order_items.order_id,
        -- strings
        order_items.category,
        -- numbers
        order_items.quantity,
        order_items.unit_price
    from order_items
    {{ segmentation.as_of_cut('cast(order_items.ordered_at as date)') }}
)

select * from final
