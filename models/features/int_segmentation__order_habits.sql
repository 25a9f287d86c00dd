-- One row per customer with an accepted order on or before the as-of date: the
-- purchase habits of int_segmentation__behaviour, the order dates and gaps of
-- int_segmentation__lifecycle and the discount sensitivity of
-- int_segmentation__psychographics: what depends only on the customer's own
-- orders and order lines, not on the as-of date itself.
-- Incremental feature state (docs/decisions/0025): a build after the first
-- recomputes only the customers whose orders or order lines changed;
-- int_segmentation__behaviour derives the as-of features from it for everyone.
{{ config(
    materialized=segmentation.feature_state_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.feature_state_hooks('int_segmentation__order_habits'),
    post_hook=segmentation.feature_state_cleanup_hooks(),
) }}
{%- set returned_statuses = segmentation.quoted_list(segmentation.setting('segmentation__returned_statuses')) %}
{%- set double = segmentation.type_double() %}

with

changed_customers as (
    {{ segmentation.changed_customers('int_segmentation__order_habits') }}
),

orders as {{ segmentation.materialized_cte() }} (
    select
        orders_as_of.order_id,
        orders_as_of.customer_id,
        orders_as_of.ordered_at,
        orders_as_of.order_date,
        orders_as_of.order_total,
        orders_as_of.discount_total,
        orders_as_of.channel,
        lower(orders_as_of.status) as status,
        case
            when extract(hour from orders_as_of.ordered_at) < 6 then 'night'
            when extract(hour from orders_as_of.ordered_at) < 12 then 'morning'
            when extract(hour from orders_as_of.ordered_at) < 18 then 'afternoon'
            else 'evening'
        end as daypart
    from {{ ref('int_segmentation__orders_as_of') }} as orders_as_of
    {{ segmentation.only_changed_customers('orders_as_of') }}
),

order_stats as (
    select
        orders.customer_id,
        count(*) as order_count,
        min(orders.order_date) as first_order_date,
        avg(case when orders.discount_total > 0 then 1.0 else 0.0 end) as discount_order_share,
        avg(
            case
                when orders.status in ({{ returned_statuses }})
                    then 1.0
                else 0.0
            end
        ) as return_cancel_rate,
        avg(case when {{ segmentation.is_weekend('orders.ordered_at') }} then 1.0 else 0.0 end) as weekend_order_share,
        count(distinct orders.channel) as distinct_order_channels
    from orders
    group by orders.customer_id
),

-- The mean order value is an aggregate of its own: in one with a count(*),
-- DuckDB computes avg(x) of a column whose statistics show no nulls (as those of
-- int_segmentation__orders_as_of do) as sum(x) / count(*), which rounds the
-- decimal sum to a double before dividing and can change the last bit.
order_values as (
    select
        orders.customer_id,
        avg(orders.order_total) as average_order_value
    from orders
    group by orders.customer_id
),

previous_orders as (
    select
        orders.customer_id,
        orders.order_date,
        lag(orders.order_date) over (
            partition by orders.customer_id order by orders.ordered_at, orders.order_id
        ) as previous_order_date
    from orders
),

order_gaps as (
    select
        previous_orders.customer_id,
        {{ segmentation.days_between('previous_orders.previous_order_date', 'previous_orders.order_date') }}
            as gap_days
    from previous_orders
),

gap_stats as (
    select
        order_gaps.customer_id,
        avg(cast(order_gaps.gap_days as {{ double }})) as mean_days_between_orders,
        -- The sample standard deviation from exact integer sums: a running
        -- float algorithm (stddev_samp) differs in its last bits between builds.
        sqrt({{ segmentation.safe_divide(
            'count(*) * sum(order_gaps.gap_days * order_gaps.gap_days) - sum(order_gaps.gap_days) * sum(order_gaps.gap_days)',
            'count(*) * (count(*) - 1)'
        ) }}) as stddev_days_between_orders
    from order_gaps
    where order_gaps.gap_days is not null
    group by order_gaps.customer_id
),

-- The psychographic discount sensitivity: discounts over the gross value.
discounts as (
    select
        orders.customer_id,
        {{ segmentation.safe_divide(
            'sum(coalesce(orders.discount_total, 0))',
            'sum(orders.order_total + coalesce(orders.discount_total, 0))'
        ) }} as discount_sensitivity
    from orders
    group by orders.customer_id
),

-- Lifecycle state: first and last order dates, and the median and last gaps
-- between distinct order dates (int_segmentation__lifecycle derives the stage).
order_dates as (
    select distinct
        orders.customer_id,
        orders.order_date
    from orders
),

previous_dates as (
    select
        order_dates.customer_id,
        order_dates.order_date,
        lag(order_dates.order_date) over (
            partition by order_dates.customer_id order by order_dates.order_date
        ) as previous_order_date,
        -- The same window as lag (one sort): a customer's last date has no next one.
        lead(order_dates.order_date) over (
            partition by order_dates.customer_id order by order_dates.order_date
        ) is null as is_last_order_date
    from order_dates
),

date_gaps as (
    select
        previous_dates.customer_id,
        previous_dates.order_date,
        previous_dates.is_last_order_date,
        {{ segmentation.days_between('previous_dates.previous_order_date', 'previous_dates.order_date') }}
            as gap_days
    from previous_dates
),

-- The median gap from ranks (the middle gap, or the mean of the two middle
-- ones: what median() gives). A holistic median() over a million small
-- groups keeps a buffer per group: at 1M customers it took 49 s of the
-- model's 56 s and spilled 13 GB; two ranks over the same rows take seconds.
ranked_gaps as (
    select
        date_gaps.customer_id,
        date_gaps.order_date,
        date_gaps.is_last_order_date,
        date_gaps.gap_days,
        row_number() over (
            partition by date_gaps.customer_id order by date_gaps.gap_days nulls last
        ) as gap_rank,
        -- The middle ranks of the customer's gaps (equal for an odd count).
        floor((count(date_gaps.gap_days) over (partition by date_gaps.customer_id) + 1) / 2.0) as lower_middle_rank,
        floor((count(date_gaps.gap_days) over (partition by date_gaps.customer_id) + 2) / 2.0) as upper_middle_rank
    from date_gaps
),

date_stats as (
    select
        ranked_gaps.customer_id,
        max(ranked_gaps.order_date) as last_order_date,
        avg(
            case
                when ranked_gaps.gap_rank in (ranked_gaps.lower_middle_rank, ranked_gaps.upper_middle_rank)
                    then ranked_gaps.gap_days
            end
        ) as median_gap_days,
        max(case when ranked_gaps.is_last_order_date then ranked_gaps.gap_days end) as last_gap_days
    from ranked_gaps
    group by ranked_gaps.customer_id
),

primary_channel as (
    {{ segmentation.most_frequent('orders', 'channel') }}
),

preferred_daypart as (
    {{ segmentation.most_frequent('orders', 'daypart') }}
),

order_baskets as (
    select
        order_items.customer_id,
        order_items.order_id,
        sum(order_items.quantity) as units
    from {{ ref('int_segmentation__order_lines') }} as order_items
    {{ segmentation.only_changed_customers('order_items') }}
    group by order_items.customer_id, order_items.order_id
),

category_spend as (
    select
        category_spend.customer_id,
        category_spend.category,
        category_spend.category_value
    from {{ ref('int_segmentation__category_spend') }} as category_spend
    {{ segmentation.only_changed_customers('category_spend') }}
),

basket_stats as (
    select
        order_baskets.customer_id,
        avg(order_baskets.units) as average_basket_size
    from order_baskets
    group by order_baskets.customer_id
),

category_stats as (
    select
        category_spend.customer_id,
        count(category_spend.category) as distinct_categories
    from category_spend
    group by category_spend.customer_id
),

favourite_category as (
    {{ segmentation.most_frequent('category_spend', 'category', 'category_value') }}
),

final as (
    select
        -- ids
        changed_customers.customer_id,
        -- strings
        favourite_category.value as favourite_category,
        primary_channel.value as primary_order_channel,
        preferred_daypart.value as preferred_order_daypart,
        -- numbers
        order_stats.order_count,
        cast(order_values.average_order_value as {{ double }}) as average_order_value,
        gap_stats.mean_days_between_orders,
        gap_stats.stddev_days_between_orders,
        cast(order_stats.discount_order_share as {{ double }}) as discount_order_share,
        cast(order_stats.return_cancel_rate as {{ double }}) as return_cancel_rate,
        cast(category_stats.distinct_categories as {{ dbt.type_int() }}) as distinct_categories,
        favourite_category.value_share as favourite_category_spend_share,
        primary_channel.value_share as primary_order_channel_share,
        order_stats.distinct_order_channels,
        cast(basket_stats.average_basket_size as {{ double }}) as average_basket_size,
        cast(order_stats.weekend_order_share as {{ double }}) as weekend_order_share,
        preferred_daypart.value_share as preferred_order_daypart_share,
        discounts.discount_sensitivity,
        cast(date_stats.median_gap_days as {{ double }}) as median_gap_days,
        date_stats.last_gap_days,
        -- dates
        order_stats.first_order_date,
        date_stats.last_order_date,
        -- state
        {{ segmentation.feature_state_columns('int_segmentation__order_habits') }}
    from changed_customers
    left join order_stats
        on changed_customers.customer_id = order_stats.customer_id
    left join order_values
        on changed_customers.customer_id = order_values.customer_id
    left join gap_stats
        on changed_customers.customer_id = gap_stats.customer_id
    left join date_stats
        on changed_customers.customer_id = date_stats.customer_id
    left join discounts
        on changed_customers.customer_id = discounts.customer_id
    left join primary_channel
        on changed_customers.customer_id = primary_channel.customer_id
    left join preferred_daypart
        on changed_customers.customer_id = preferred_daypart.customer_id
    left join basket_stats
        on changed_customers.customer_id = basket_stats.customer_id
    left join category_stats
        on changed_customers.customer_id = category_stats.customer_id
    left join favourite_category
        on changed_customers.customer_id = favourite_category.customer_id
)

select * from final
