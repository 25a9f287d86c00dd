{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- One row per accepted marketing message sent.
with

validated as (
    select * from {{ ref('base_segmentation__marketing_touches') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        customer_id,
        campaign_id,
        -- strings
        channel,
        -- dates
        sent_at,
        opened_at,
        clicked_at,
        converted_at
    from validated
)

select * from final
