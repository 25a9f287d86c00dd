-- One row per customer with at least one accepted order on or before the as-of
-- date: the buy-till-you-die summary (lifetimes / pymc-marketing definition, as
-- segmentation__rfm_summary, which publishes the whole-history columns: daily
-- purchases, all orders of a day one purchase)
-- twice, at the as-of date and at the calibration end (as-of minus
-- segmentation__value_holdout_days), with the purchases of the holdout period
-- after it. Days, not periods: the value models divide by the period length.
--   frequency        purchase days - 1 (repeat purchases)
--   recency_days     last - first purchase day
--   age_days         as-of (or calibration end) - first purchase day (T)
--   monetary_value   mean total of the repeat purchase days, 0 without any
-- The calibration columns are null for customers whose first purchase is after
-- the calibration end (is_in_calibration false): the backtest leaves them out.
{%- set holdout_days = segmentation.setting('segmentation__value_holdout_days') %}

with

orders as (
    select
        customer_id,
        order_date,
        order_total
    from {{ ref('int_segmentation__orders_as_of') }}
),

as_of as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', -holdout_days, 'as_of_date') }} as date) as calibration_end_date
    from {{ ref('int_segmentation__as_of') }}
),

purchase_days as (
    select
        orders.customer_id,
        orders.order_date as purchase_date,
        sum(orders.order_total) as purchase_total
    from orders
    group by orders.customer_id, orders.order_date
),

numbered as (
    select
        purchase_days.*,
        min(purchase_days.purchase_date) over (partition by purchase_days.customer_id) as first_purchase_date
    from purchase_days
),

summarised as (
    select
        numbered.customer_id,
        min(numbered.first_purchase_date) as first_purchase_date,
        max(numbered.purchase_date) as last_purchase_date,
        count(*) - 1 as frequency,
        sum(numbered.purchase_total) as total_spend,
        sum(case when numbered.purchase_date > numbered.first_purchase_date then numbered.purchase_total end)
            as repeat_total,
        max(case when numbered.purchase_date <= as_of.calibration_end_date then numbered.purchase_date end)
            as last_calibration_purchase_date,
        sum(case when numbered.purchase_date <= as_of.calibration_end_date then 1 else 0 end) - 1
            as frequency_cal,
        sum(
            case
                when numbered.purchase_date > numbered.first_purchase_date
                    and numbered.purchase_date <= as_of.calibration_end_date
                    then numbered.purchase_total
            end
        ) as repeat_total_cal,
        sum(case when numbered.purchase_date > as_of.calibration_end_date then 1 else 0 end)
            as holdout_purchases
    from numbered
    cross join as_of
    group by numbered.customer_id
),

final as (
    select
        -- ids
        summarised.customer_id,
        -- numbers: the whole history
        cast(summarised.frequency as {{ segmentation.type_double() }}) as frequency,
        cast(
            {{ segmentation.days_between('summarised.first_purchase_date', 'summarised.last_purchase_date') }}
            as {{ segmentation.type_double() }}
        ) as recency_days,
        cast(
            {{ segmentation.days_between('summarised.first_purchase_date', 'as_of.as_of_date') }}
            as {{ segmentation.type_double() }}
        ) as age_days,
        cast(
            case
                when summarised.frequency = 0 then 0
                else summarised.repeat_total / summarised.frequency
            end as {{ segmentation.type_double() }}
        ) as monetary_value,
        cast(summarised.total_spend as {{ segmentation.type_double() }}) as total_spend,
        -- numbers: the calibration period and the holdout period after it
        case
            when summarised.frequency_cal >= 0
                then cast(summarised.frequency_cal as {{ segmentation.type_double() }})
        end as frequency_cal,
        cast(
            {{ segmentation.days_between(
                'summarised.first_purchase_date', 'summarised.last_calibration_purchase_date'
            ) }} as {{ segmentation.type_double() }}
        ) as recency_cal_days,
        case
            when summarised.frequency_cal >= 0
                then cast(
                        {{ segmentation.days_between('summarised.first_purchase_date', 'as_of.calibration_end_date') }}
                        as {{ segmentation.type_double() }}
                    )
        end as age_cal_days,
        case
            when summarised.frequency_cal = 0 then cast(0 as {{ segmentation.type_double() }})
            when summarised.frequency_cal > 0
                then cast(summarised.repeat_total_cal / summarised.frequency_cal as {{ segmentation.type_double() }})
        end as monetary_value_cal,
        case
            when summarised.frequency_cal >= 0
                then cast(summarised.holdout_purchases as {{ segmentation.type_double() }})
        end as holdout_purchases,
        -- booleans
        summarised.frequency_cal >= 0 as is_in_calibration,
        -- dates
        summarised.first_purchase_date,
        summarised.last_purchase_date,
        as_of.calibration_end_date,
        as_of.as_of_date
    from summarised
    cross join as_of
)

select * from final
