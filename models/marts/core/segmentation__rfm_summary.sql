-- One row per customer with at least one accepted order on or before the
-- as-of date, in the lifetimes / pymc-marketing summary shape (daily periods).
with

orders as (
    select
        customer_id,
        order_total,
        cast(ordered_at as date) as order_date
    from {{ ref('stg_segmentation__orders') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

purchase_days as (
    -- All orders of one day are one purchase; its value is their sum.
    select
        orders.customer_id,
        orders.order_date,
        sum(orders.order_total) as day_total
    from orders
    cross join as_of
    where orders.order_date <= as_of.as_of_date
    group by orders.customer_id, orders.order_date
),

numbered as (
    select
        purchase_days.*,
        min(purchase_days.order_date) over (partition by purchase_days.customer_id) as first_purchase_date
    from purchase_days
),

summarised as (
    select
        numbered.customer_id,
        min(numbered.first_purchase_date) as first_purchase_date,
        max(numbered.order_date) as last_purchase_date,
        count(*) - 1 as frequency,
        sum(case when numbered.order_date > numbered.first_purchase_date then numbered.day_total end) as repeat_total
    from numbered
    group by numbered.customer_id
),

final as (
    select
        summarised.customer_id,
        cast(summarised.frequency as {{ segmentation.type_double() }}) as frequency,
        cast(
            {{ segmentation.days_between('summarised.first_purchase_date', 'summarised.last_purchase_date') }}
            as {{ segmentation.type_double() }}
        ) as recency,
        cast(
            {{ segmentation.days_between('summarised.first_purchase_date', 'as_of.as_of_date') }}
            as {{ segmentation.type_double() }}
        ) as T, -- noqa: CP02
        cast(
            case
                when summarised.frequency = 0 then 0
                else summarised.repeat_total / summarised.frequency
            end as {{ segmentation.type_double() }}
        ) as monetary_value
    from summarised
    cross join as_of
)

select * from final
