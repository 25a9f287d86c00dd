{{ config(enabled=segmentation.setting('segmentation__using_customer_attributes')) }}
-- Every customer_attributes input row, typed, with the reason it is rejected (null when accepted).
{{ segmentation.validated_input(
    'customer_attributes',
    row_key="customer_id_raw || ':' || attribute_raw",
    key_columns=['customer_id', 'attribute'],
    duplicates={'columns': ['customer_id', 'attribute'], 'partition': ['customer_id', 'attribute'],
                'message': "'duplicate (customer_id, attribute): ' || customer_id || ', ' || attribute"},
    parent={'model': 'base_segmentation__customers', 'column': 'customer_id', 'code': 'unknown_customer',
            'message': "'customer_id not among accepted customers: ' || customer_id"},
) }}
