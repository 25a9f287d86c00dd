-- One row per customer with an accepted event on or before the as-of date: the
-- browsing features of int_segmentation__behaviour and the device features of
-- int_segmentation__technographics, from int_segmentation__events_as_of. The
-- events are rolled up once to one row per customer, session and device (type,
-- OS, browser, platform) with their count and whether they bought or added to the
-- cart; the session features come from that rollup, the device features from it
-- summed per customer and device. Sessions are staging's session_key (a
-- session_id, or the customer's day when it is null). Most frequent values
-- break ties by the smaller value.
-- Incremental feature state (docs/decisions/0025): a build after the first
-- recomputes only the customers whose events changed.
{{ config(
    materialized=segmentation.feature_state_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.feature_state_hooks('int_segmentation__customer_events'),
    post_hook=segmentation.feature_state_cleanup_hooks(),
) }}
{%- set double = segmentation.type_double() %}
{%- set purchase_types = segmentation.quoted_list(segmentation.setting('segmentation__purchase_event_types')) %}
{%- set cart_types = segmentation.quoted_list(segmentation.setting('segmentation__cart_event_types')) %}
{%- set mobile_device_types = segmentation.quoted_list(segmentation.setting('segmentation__mobile_device_types')) %}
{%- set app_platforms = segmentation.quoted_list(segmentation.setting('segmentation__app_platforms')) %}

with

changed_customers as (
    {{ segmentation.changed_customers('int_segmentation__customer_events') }}
),

events as (
    select
        events_as_of.customer_id,
        events_as_of.session_key,
        events_as_of.event_type,
        events_as_of.device_type,
        events_as_of.os,
        events_as_of.browser,
        events_as_of.platform
    from {{ ref('int_segmentation__events_as_of') }} as events_as_of
    {{ segmentation.only_changed_customers('events_as_of') }}
),

session_devices as {{ segmentation.materialized_cte() }} (
    select
        events.customer_id,
        events.session_key,
        events.device_type,
        events.os,
        events.browser,
        events.platform,
        count(*) as event_count,
        max(case when events.event_type in ({{ purchase_types }}) then 1 else 0 end) as has_purchase,
        max(case when events.event_type in ({{ cart_types }}) then 1 else 0 end) as has_cart
    from events
    group by
        events.customer_id,
        events.session_key,
        events.device_type,
        events.os,
        events.browser,
        events.platform
),

sessions as (
    select
        session_devices.customer_id,
        session_devices.session_key,
        max(session_devices.has_purchase) as has_purchase,
        max(session_devices.has_cart) as has_cart,
        max(
            case
                when session_devices.device_type in ({{ mobile_device_types }})
                    then 1
                else 0
            end
        ) as is_mobile
    from session_devices
    group by session_devices.customer_id, session_devices.session_key
),

session_stats as (
    select
        sessions.customer_id,
        count(*) as session_count,
        avg(cast(sessions.has_purchase as {{ double }})) as browse_to_buy_conversion,
        {{ segmentation.safe_divide(
            'sum(case when sessions.has_cart = 1 and sessions.has_purchase = 0 then 1 else 0 end)',
            'sum(sessions.has_cart)'
        ) }} as cart_abandonment_rate,
        avg(cast(sessions.is_mobile as {{ double }})) as mobile_session_share
    from sessions
    group by sessions.customer_id
),

devices as (
    select
        session_devices.customer_id,
        session_devices.device_type,
        session_devices.os,
        session_devices.browser,
        session_devices.platform,
        sum(session_devices.event_count) as event_count
    from session_devices
    group by
        session_devices.customer_id,
        session_devices.device_type,
        session_devices.os,
        session_devices.browser,
        session_devices.platform
),

device_stats as (
    select
        devices.customer_id,
        cast(sum(devices.event_count) as {{ dbt.type_bigint() }}) as event_count,
        count(distinct coalesce(devices.device_type, '?') || '/' || coalesce(devices.os, '?')) as distinct_devices,
        max(
            case
                when devices.platform in ({{ app_platforms }})
                    then 1
                else 0
            end
        ) as uses_app
    from devices
    group by devices.customer_id
),

primary_device_type as (
    {{ segmentation.most_frequent('devices', 'device_type', 'event_count') }}
),

primary_os as (
    {{ segmentation.most_frequent('devices', 'os', 'event_count') }}
),

primary_browser as (
    {{ segmentation.most_frequent('devices', 'browser', 'event_count') }}
),

primary_platform as (
    {{ segmentation.most_frequent('devices', 'platform', 'event_count') }}
),

final as (
    select
        -- ids
        changed_customers.customer_id,
        -- strings
        primary_device_type.value as primary_device_type,
        primary_os.value as primary_os,
        primary_browser.value as primary_browser,
        primary_platform.value as primary_platform,
        -- numbers
        device_stats.event_count,
        session_stats.session_count,
        session_stats.browse_to_buy_conversion,
        session_stats.cart_abandonment_rate,
        session_stats.mobile_session_share,
        device_stats.distinct_devices,
        -- booleans
        device_stats.uses_app = 1 as has_adopted_app,
        -- state
        {{ segmentation.feature_state_columns('int_segmentation__customer_events') }}
    from changed_customers
    left join session_stats
        on changed_customers.customer_id = session_stats.customer_id
    left join device_stats
        on changed_customers.customer_id = device_stats.customer_id
    left join primary_device_type
        on changed_customers.customer_id = primary_device_type.customer_id
    left join primary_os
        on changed_customers.customer_id = primary_os.customer_id
    left join primary_browser
        on changed_customers.customer_id = primary_browser.customer_id
    left join primary_platform
        on changed_customers.customer_id = primary_platform.customer_id
)

select * from final
