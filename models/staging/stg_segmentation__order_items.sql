-- One row per accepted order line. Lines have no id of their own: identical
-- lines are both real and both kept. Customer and time are the order's.
with

{% if segmentation.is_input_enabled('order_items') -%}
validated as (
    select * from {{ ref('base_segmentation__order_items') }}
    where rejection_reason_code is null
),
{%- else -%}
-- The input is switched off: no rows, the same columns and types.
validated as (
    {{ segmentation.empty_input('order_items', extra_columns=[{'name': 'customer_id', 'kind': 'string'}, {'name': 'ordered_at', 'kind': 'timestamp'}]) }}
),
{%- endif %}

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
