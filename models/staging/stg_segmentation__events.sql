{{ config(enabled=segmentation.setting('segmentation__using_events')) }}
-- One row per accepted event (exact duplicates removed). Events have no id.
with

validated as (
    select * from {{ ref('base_segmentation__events') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        customer_id,
        session_id,
        -- strings
        event_type,
        device_type,
        os,
        browser,
        platform,
        -- dates
        occurred_at
    from validated
)

select * from final
