-- One row per accepted customer: devices and platforms from events up to the
-- as-of date. Most frequent values break ties by the smaller value. All null
-- when the events input is switched off.
{%- set double = segmentation.type_double() %}
{%- set mobile_device_types = segmentation.quoted_list(segmentation.setting('segmentation__mobile_device_types')) %}
{%- set app_platforms = segmentation.quoted_list(segmentation.setting('segmentation__app_platforms')) %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

{% if segmentation.setting('segmentation__using_events') -%}
as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

events as (
    select
        stg_events.customer_id,
        stg_events.device_type,
        stg_events.os,
        stg_events.browser,
        stg_events.platform,
        coalesce(
            stg_events.session_id,
            stg_events.customer_id || ':' || cast(cast(stg_events.occurred_at as date) as {{ dbt.type_string() }})
        ) as session_key
    from {{ ref('stg_segmentation__events') }} as stg_events
    cross join as_of
    where cast(stg_events.occurred_at as date) <= as_of.as_of_date
),

primary_device_type as (
    {{ segmentation.most_frequent('events', 'device_type') }}
),

primary_os as (
    {{ segmentation.most_frequent('events', 'os') }}
),

primary_browser as (
    {{ segmentation.most_frequent('events', 'browser') }}
),

primary_platform as (
    {{ segmentation.most_frequent('events', 'platform') }}
),

sessions as (
    select
        events.customer_id,
        events.session_key,
        max(
            case
                when events.device_type in ({{ mobile_device_types }})
                    then 1
                else 0
            end
        ) as is_mobile
    from events
    group by events.customer_id, events.session_key
),

device_stats as (
    select
        events.customer_id,
        count(distinct coalesce(events.device_type, '?') || '/' || coalesce(events.os, '?')) as distinct_devices,
        max(
            case
                when events.platform in ({{ app_platforms }})
                    then 1
                else 0
            end
        ) as uses_app
    from events
    group by events.customer_id
),

session_stats as (
    select
        sessions.customer_id,
        avg(cast(sessions.is_mobile as {{ double }})) as mobile_session_share
    from sessions
    group by sessions.customer_id
),

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        primary_device_type.value as primary_device_type,
        primary_os.value as primary_os,
        primary_browser.value as primary_browser,
        primary_platform.value as primary_platform,
        -- numbers
        session_stats.mobile_session_share,
        device_stats.distinct_devices,
        -- booleans
        device_stats.uses_app = 1 as has_adopted_app
    from customers
    left join primary_device_type
        on customers.customer_id = primary_device_type.customer_id
    left join primary_os
        on customers.customer_id = primary_os.customer_id
    left join primary_browser
        on customers.customer_id = primary_browser.customer_id
    left join primary_platform
        on customers.customer_id = primary_platform.customer_id
    left join session_stats
        on customers.customer_id = session_stats.customer_id
    left join device_stats
        on customers.customer_id = device_stats.customer_id
)
{%- else -%}
final as (
    select
        customer_id,
        cast(null as {{ dbt.type_string() }}) as primary_device_type,
        cast(null as {{ dbt.type_string() }}) as primary_os,
        cast(null as {{ dbt.type_string() }}) as primary_browser,
        cast(null as {{ dbt.type_string() }}) as primary_platform,
        cast(null as {{ double }}) as mobile_session_share,
        cast(null as {{ dbt.type_bigint() }}) as distinct_devices,
        cast(null as {{ dbt.type_boolean() }}) as has_adopted_app
    from customers
)
{%- endif %}

select * from final
