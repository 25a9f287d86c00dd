{{ config(
    enabled=segmentation.setting('segmentation__using_order_items'),
    materialized=segmentation.staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.incremental_window_hooks('order_items'),
    post_hook=segmentation.incremental_window_cleanup_hooks(),
) }}
-- Every order_items input row, typed, with the reason it is rejected (null when accepted).
-- Order lines have no key of their own: identical lines are both kept. Each
-- carries its order's customer and time, read in the same join that checks the order.
{{ segmentation.validated_input(
    'order_items',
    row_key="order_id_raw || ':' || coalesce(product_id_raw, '')",
    extra_checks=[
        {'code': 'negative_amount', 'condition': 'unit_price < 0',
         'message': "'unit_price is negative: ' || unit_price_raw"},
        {'code': 'non_positive_quantity', 'condition': 'quantity <= 0',
         'message': "'quantity is not positive: ' || quantity_raw"},
    ],
    parent={'model': 'base_segmentation__orders', 'column': 'order_id', 'code': 'unknown_order',
            'message': "'order_id not among accepted orders: ' || order_id",
            'columns': ['customer_id', 'ordered_at']},
) }}
