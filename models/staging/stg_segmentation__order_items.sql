{{ config(enabled=segmentation.setting('segmentation__using_order_items')) }}
-- One row per accepted order line.
with

validated as (
    select * from {{ ref('base_segmentation__order_items') }}
    where rejection_reason_code is null
),

numbered as (
    -- Identical lines are both real; the occurrence keeps their ids apart.
    select
        validated.*,
        row_number() over (
            partition by {{ dbt.hash('validated.raw_values') }} order by validated.raw_values
        ) as line_occurrence
    from validated
),

final as (
    select
        -- ids
        {{ dbt.hash("raw_values || '#' || cast(line_occurrence as " ~ dbt.type_string() ~ ")") }} as order_item_id,
        order_id,
        product_id,
        -- strings
        category,
        -- numbers
        quantity,
        unit_price
    from numbered
)

select * from final
