{{ config(
    enabled=segmentation.setting('segmentation__using_marketing_touches'),
    materialized=segmentation.staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.incremental_window_hooks('marketing_touches'),
    post_hook=segmentation.incremental_window_cleanup_hooks(),
) }}
-- Every marketing_touches input row, typed, with the reason it is rejected (null when accepted).
-- A touch is keyed by customer, campaign, channel and send time.
{{ segmentation.validated_input(
    'marketing_touches',
    row_key="customer_id_raw || ':' || campaign_id_raw || ':' || coalesce(channel_raw, '') || ':' || sent_at_raw",
    duplicates={'columns': ['customer_id', 'campaign_id', 'channel'],
                'partition': ['customer_id', 'campaign_id', 'channel', 'sent_at'],
                'message': "'duplicate touch (customer_id, campaign_id, channel, sent_at)'"},
    parent={'model': 'base_segmentation__customers', 'column': 'customer_id', 'code': 'unknown_customer',
            'message': "'customer_id not among accepted customers: ' || customer_id"},
) }}
