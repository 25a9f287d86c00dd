-- Every customers input row, typed, with the reason it is rejected (null when accepted).
{{ segmentation.validated_input(
    'customers',
    row_key='customer_id_raw',
    key_columns=['customer_id'],
    extra_checks=[
        {'code': 'negative_amount', 'condition': 'income < 0',
         'message': "'income is negative: ' || income_raw"},
    ],
    duplicates={'columns': ['customer_id'], 'partition': ['customer_id'],
                'message': "'duplicate customer_id: ' || customer_id"},
) }}
