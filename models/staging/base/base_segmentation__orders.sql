{{ config(
    materialized=segmentation.staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.incremental_window_hooks('orders'),
    post_hook=segmentation.incremental_window_cleanup_hooks(),
) }}
-- Every orders input row, typed, with the reason it is rejected (null when accepted).
{{ segmentation.validated_input(
    'orders',
    row_key='order_id_raw',
    key_columns=['order_id'],
    extra_checks=[
        {'code': 'negative_amount', 'condition': 'order_total < 0',
         'message': "'order_total is negative: ' || order_total_raw"},
        {'code': 'negative_amount', 'condition': 'discount_total < 0',
         'message': "'discount_total is negative: ' || discount_total_raw"},
    ],
    duplicates={'columns': ['order_id'], 'partition': ['order_id'],
                'message': "'duplicate order_id: ' || order_id"},
    parent={'model': 'base_segmentation__customers', 'column': 'customer_id', 'code': 'unknown_customer',
            'message': "'customer_id not among accepted customers: ' || customer_id"},
) }}
