{{ config(enabled=segmentation.setting('segmentation__using_order_items')) }}
-- Every order_items input row, typed, with the reason it is rejected (null when accepted).
-- Order lines have no key of their own: identical lines are both kept.
with

orders as (
    select order_id from {{ ref('base_segmentation__orders') }}
    where rejection_reason_code is null
),

typed as (
    {{ segmentation.typed_input('order_items') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('order_items', extra_checks=[
            {'code': 'negative_amount', 'condition': 'unit_price < 0',
             'message': "'unit_price is negative: ' || unit_price_raw"},
            {'code': 'non_positive_quantity', 'condition': 'quantity <= 0',
             'message': "'quantity is not positive: ' || quantity_raw"},
        ]) }}
    from typed
),

final as (
    select
        {{ segmentation.contract_column_list('order_items', 'row_checked') }},
        row_checked.order_id_raw || ':' || coalesce(row_checked.product_id_raw, '') as row_key,
        row_checked.raw_values,
        coalesce(
            row_checked.rejection_reason_code,
            case when orders.order_id is null then 'unknown_order' end
        ) as rejection_reason_code,
        coalesce(
            row_checked.rejection_message,
            case when orders.order_id is null then 'order_id not among accepted orders: ' || row_checked.order_id end
        ) as rejection_message
    from row_checked
    left join orders
        on row_checked.order_id = orders.order_id
)

select * from final
