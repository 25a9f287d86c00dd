-- One row per accepted marketing message sent.
with

{% if segmentation.is_input_enabled('marketing_touches') -%}
validated as (
    select * from {{ ref('base_segmentation__marketing_touches') }}
    where rejection_reason_code is null
),
{%- else -%}
-- The input is switched off: no rows, the same columns and types.
validated as (
    {{ segmentation.empty_input('marketing_touches') }}
),
{%- endif %}

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
