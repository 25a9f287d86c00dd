{{ config(enabled=segmentation.setting('segmentation__using_order_items')) }}
-- One row per accepted order line. Lines have no id of their own: identical
-- lines are both real and both kept. Customer and time are the order's.
with

validated as (
    select * from {{ ref('base_segmentation__order_items') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        order_id,
        customer_id,
        product_id,
        -- strings
        category,
        -- numbers
        quantity,
        unit_price,
        -- dates
        ordered_at
    from validated
)

select * from final
