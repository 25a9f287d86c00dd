{{ config(materialized='view') }}
-- One row per accepted marketing message sent on or before the as-of date,
-- with the columns the feature models read: the one read of the
-- marketing_touches input that customer_touches shares. A view, not a table:
-- it is a filter over stg_segmentation__marketing_touches, and its one reader
-- aggregates it in the same pass (docs/decisions/0020).
with

touches as (
    select
        stg_touches.customer_id,
        stg_touches.sent_at,
        stg_touches.opened_at,
        stg_touches.clicked_at,
        stg_touches.converted_at
    from {{ ref('stg_segmentation__marketing_touches') }} as stg_touches
),

final as (
    select
        -- ids
        touches.customer_id,
        -- dates
        touches.sent_at,
        touches.opened_at,
        touches.clicked_at,
        touches.converted_at
    from touches
    {{ segmentation.as_of_cut('cast(touches.sent_at as date)') }}
)

select * from final
