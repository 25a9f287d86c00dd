-- One row per accepted customer: purchase habits (orders, order_items),
-- browsing (events) and campaign response (marketing_touches), measured up to
-- the as-of date. A cheap join of the per-customer state of each input
-- (int_segmentation__order_habits, __customer_events, __customer_touches) that
-- derives the as-of features for every customer; the state of a switched-off
-- input is empty, so its features are null (counts too: unknown, not 0).
{%- set double = segmentation.type_double() %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

order_habits as (
    select
        order_habits.customer_id,
        order_habits.favourite_category,
        order_habits.primary_order_channel,
        order_habits.preferred_order_daypart,
        order_habits.order_count,
        order_habits.average_order_value,
        order_habits.mean_days_between_orders,
        order_habits.stddev_days_between_orders,
        order_habits.discount_order_share,
        order_habits.return_cancel_rate,
        order_habits.distinct_categories,
        order_habits.favourite_category_spend_share,
        order_habits.primary_order_channel_share,
        order_habits.distinct_order_channels,
        order_habits.average_basket_size,
        order_habits.weekend_order_share,
        order_habits.preferred_order_daypart_share,
        order_habits.first_order_date
    from {{ ref('int_segmentation__order_habits') }} as order_habits
),

customer_events as (
    select
        customer_events.customer_id,
        customer_events.event_count,
        customer_events.session_count,
        customer_events.browse_to_buy_conversion,
        customer_events.cart_abandonment_rate
    from {{ ref('int_segmentation__customer_events') }} as customer_events
),

touch_stats as (
    select
        customer_touches.customer_id,
        customer_touches.touches_received,
        customer_touches.open_rate,
        customer_touches.click_rate,
        customer_touches.campaign_conversion_rate
    from {{ ref('int_segmentation__customer_touches') }} as customer_touches
),

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        order_habits.favourite_category,
        order_habits.primary_order_channel,
        order_habits.preferred_order_daypart,
        -- numbers
        coalesce(order_habits.order_count, 0) as order_count,
        {{ segmentation.safe_divide(
            '30 * order_habits.order_count',
            'greatest(' ~ segmentation.days_between('order_habits.first_order_date', 'as_of.as_of_date') ~ ', 1)'
        ) }} as orders_per_30_days,
        order_habits.average_order_value,
        order_habits.mean_days_between_orders,
        order_habits.stddev_days_between_orders,
        order_habits.discount_order_share,
        order_habits.return_cancel_rate,
        order_habits.distinct_categories,
        order_habits.favourite_category_spend_share,
        order_habits.primary_order_channel_share,
        order_habits.distinct_order_channels,
        order_habits.average_basket_size,
        order_habits.weekend_order_share,
        order_habits.preferred_order_daypart_share,
        {{ segmentation.count_feature('customer_events.session_count', 'events') }} as session_count,
        {{ segmentation.count_feature('customer_events.event_count', 'events') }} as event_count,
        {{ segmentation.safe_divide('customer_events.session_count', 'order_habits.order_count') }}
            as sessions_per_order,
        customer_events.browse_to_buy_conversion,
        customer_events.cart_abandonment_rate,
        {{ segmentation.count_feature('touch_stats.touches_received', 'marketing_touches') }} as touches_received,
        cast(touch_stats.open_rate as {{ double }}) as open_rate,
        cast(touch_stats.click_rate as {{ double }}) as click_rate,
        cast(touch_stats.campaign_conversion_rate as {{ double }}) as campaign_conversion_rate
    from customers
    cross join as_of
    left join order_habits
        on customers.customer_id = order_habits.customer_id
    left join customer_events
        on customers.customer_id = customer_events.customer_id
    left join touch_stats
        on customers.customer_id = touch_stats.customer_id
)

select * from final
