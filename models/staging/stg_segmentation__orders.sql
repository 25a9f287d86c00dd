-- One row per accepted order.
with

validated as (
    select * from {{ ref('base_segmentation__orders') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        order_id,
        customer_id,
        -- strings
        channel,
        status,
        -- numbers
        order_total,
        discount_total,
        -- dates
        ordered_at
    from validated
)

select * from final
