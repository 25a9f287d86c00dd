{{ config(
    enabled=segmentation.setting('segmentation__using_events'),
    materialized=segmentation.staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.incremental_window_hooks('events'),
    post_hook=segmentation.incremental_window_cleanup_hooks(),
) }}
-- Every events input row, typed, with the reason it is rejected (null when accepted).
-- Events have no key: an exact copy of an accepted event is a double-fired
-- duplicate and is rejected as duplicate_key. Copies share customer and time,
-- so only rows that share both are compared.
{%- set contract = segmentation.input_contract()['events']['columns'] %}
{%- set columns = contract | rejectattr('load_time') | map(attribute='name') | list %}
{%- set raw_columns = [] %}
{%- for name in columns %}{% do raw_columns.append(name ~ '_raw') %}{% endfor %}
{{ segmentation.validated_input(
    'events',
    row_key=dbt.hash(segmentation.raw_values('events')),
    extra_checks=[
        {'code': 'unknown_event_type',
         'condition': "event_type not in ("
            ~ segmentation.quoted_list(segmentation.setting('segmentation__event_types')) ~ ")",
         'message': "'event_type not in var segmentation__event_types: ' || event_type"},
    ],
    duplicates={'columns': ['customer_id', 'occurred_at'], 'partition': raw_columns,
                'message': "'exact duplicate of another event'"},
    parent={'model': 'base_segmentation__customers', 'column': 'customer_id', 'code': 'unknown_customer',
            'message': "'customer_id not among accepted customers: ' || customer_id"},
) }}
