-- One row per accepted customer and attribute.
with

{% if segmentation.is_input_enabled('customer_attributes') -%}
validated as (
    select * from {{ ref('base_segmentation__customer_attributes') }}
    where rejection_reason_code is null
),
{%- else -%}
-- The input is switched off: no rows, the same columns and types.
validated as (
    {{ segmentation.empty_input('customer_attributes') }}
),
{%- endif %}

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
