-- One row per accepted customer: devices and platforms from events up to the
-- as-of date, computed in int_segmentation__customer_events. Most frequent
-- values break ties by the smaller value. Null without events, so all null
-- when the events input is switched off (int_segmentation__customer_events is
-- then empty).
with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

customer_events as (
    select * from {{ ref('int_segmentation__customer_events') }}
),

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        customer_events.primary_device_type,
        customer_events.primary_os,
        customer_events.primary_browser,
        customer_events.primary_platform,
        -- numbers
        customer_events.mobile_session_share,
        customer_events.distinct_devices,
        -- booleans
        customer_events.has_adopted_app
    from customers
    left join customer_events
        on customers.customer_id = customer_events.customer_id
)

select * from final
