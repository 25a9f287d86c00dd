{#- The input contract: for every input, its columns in order, whether each is
    required, and the type staging casts it to. The one place it is written.
    `load_time`: the optional time the row was loaded or last changed, which
    incremental staging reads to find new and updated rows (incremental_window);
    it is not part of the row's values (duplicates, raw_values). -#}
{% macro input_contract() %}
    {{ return({
        'customers': {
            'optional': false,
            'columns': [
                {'name': 'customer_id', 'required': true, 'kind': 'string'},
                {'name': 'email', 'required': false, 'kind': 'string', 'pii': true},
                {'name': 'signup_at', 'required': false, 'kind': 'timestamp'},
                {'name': 'birth_date', 'required': false, 'kind': 'date', 'pii': true},
                {'name': 'gender', 'required': false, 'kind': 'string'},
                {'name': 'income', 'required': false, 'kind': 'number'},
                {'name': 'education', 'required': false, 'kind': 'string'},
                {'name': 'occupation', 'required': false, 'kind': 'string'},
                {'name': 'country', 'required': false, 'kind': 'string'},
                {'name': 'region', 'required': false, 'kind': 'string'},
                {'name': 'city', 'required': false, 'kind': 'string'},
                {'name': 'postal_code', 'required': false, 'kind': 'string', 'pii': true},
                {'name': 'acquisition_channel', 'required': false, 'kind': 'string'},
            ],
        },
        'orders': {
            'optional': false,
            'columns': [
                {'name': 'order_id', 'required': true, 'kind': 'string'},
                {'name': 'customer_id', 'required': true, 'kind': 'string'},
                {'name': 'ordered_at', 'required': true, 'kind': 'timestamp'},
                {'name': 'order_total', 'required': true, 'kind': 'number'},
                {'name': 'discount_total', 'required': false, 'kind': 'number'},
                {'name': 'channel', 'required': false, 'kind': 'string'},
                {'name': 'status', 'required': false, 'kind': 'string'},
                {'name': 'loaded_at', 'required': false, 'kind': 'timestamp', 'load_time': true},
            ],
        },
        'order_items': {
            'optional': true,
            'columns': [
                {'name': 'order_id', 'required': true, 'kind': 'string'},
                {'name': 'product_id', 'required': false, 'kind': 'string'},
                {'name': 'category', 'required': true, 'kind': 'string'},
                {'name': 'quantity', 'required': false, 'kind': 'number'},
                {'name': 'unit_price', 'required': false, 'kind': 'number'},
                {'name': 'loaded_at', 'required': false, 'kind': 'timestamp', 'load_time': true},
            ],
        },
        'events': {
            'optional': true,
            'columns': [
                {'name': 'customer_id', 'required': true, 'kind': 'string'},
                {'name': 'occurred_at', 'required': true, 'kind': 'timestamp'},
                {'name': 'event_type', 'required': true, 'kind': 'string'},
                {'name': 'session_id', 'required': false, 'kind': 'string'},
                {'name': 'device_type', 'required': false, 'kind': 'string'},
                {'name': 'os', 'required': false, 'kind': 'string'},
                {'name': 'browser', 'required': false, 'kind': 'string'},
                {'name': 'platform', 'required': false, 'kind': 'string'},
                {'name': 'loaded_at', 'required': false, 'kind': 'timestamp', 'load_time': true},
            ],
        },
        'marketing_touches': {
            'optional': true,
            'columns': [
                {'name': 'customer_id', 'required': true, 'kind': 'string'},
                {'name': 'campaign_id', 'required': true, 'kind': 'string'},
                {'name': 'channel', 'required': false, 'kind': 'string'},
                {'name': 'sent_at', 'required': true, 'kind': 'timestamp'},
                {'name': 'opened_at', 'required': false, 'kind': 'timestamp'},
                {'name': 'clicked_at', 'required': false, 'kind': 'timestamp'},
                {'name': 'converted_at', 'required': false, 'kind': 'timestamp'},
                {'name': 'loaded_at', 'required': false, 'kind': 'timestamp', 'load_time': true},
            ],
        },
        'customer_attributes': {
            'optional': true,
            'columns': [
                {'name': 'customer_id', 'required': true, 'kind': 'string'},
                {'name': 'attribute', 'required': true, 'kind': 'string'},
                {'name': 'value', 'required': false, 'kind': 'string'},
            ],
        },
    }) }}
{% endmacro %}
