{{ config(materialized='view') }}
-- One row per accepted event on or before the as-of date, with the columns the
-- feature models read: the one read of the events input that customer_events
-- shares. A view, not a table: it is a filter over stg_segmentation__events,
-- and its one reader aggregates it in the same pass (docs/decisions/0020).
with

events as (
    select
        stg_events.customer_id,
        stg_events.session_key,
        stg_events.event_type,
        stg_events.device_type,
        stg_events.os,
        stg_events.browser,
        stg_events.platform,
        stg_events.occurred_at
    from {{ ref('stg_segmentation__events') }} as stg_events
),

final as (
    select
        -- ids
        events.customer_id,
        events.session_key,
        -- strings
        events.event_type,
        events.device_type,
        events.os,
        events.browser,
        events.platform,
        -- dates
        events.occurred_at
    from events
    {{ segmentation.as_of_cut('cast(events.occurred_at as date)') }}
)

select * from final
