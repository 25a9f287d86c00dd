{{ config(enabled=segmentation.setting('segmentation__using_customer_attributes')) }}
-- One row per accepted customer and attribute.
with

validated as (
    select * from {{ ref('base_segmentation__customer_attributes') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        customer_id,
        -- strings
        attribute,
        value as attribute_value
    from validated
)

select * from final
