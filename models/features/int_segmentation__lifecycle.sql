-- One row per accepted customer: lifecycle stage at the as-of date.
-- First match wins: prospect (no accepted order), new (first order within
-- segmentation__new_customer_days), lapsed (no order for segmentation__lapsed_days),
-- at_risk (no order for longer than the customer's usual gap times
-- segmentation__usual_gap_multiplier, or segmentation__at_risk_days when the
-- customer has no gap yet), reactivated (ordered again after a gap of at least
-- segmentation__lapsed_days), else active. The order dates and gaps come from
-- the per-customer state int_segmentation__order_habits (docs/decisions/0025);
-- only the measures at the as-of date are computed here, for every customer.
{%- set double = segmentation.type_double() %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

customer_gaps as (
    select
        order_habits.customer_id,
        order_habits.first_order_date,
        order_habits.last_order_date,
        order_habits.median_gap_days,
        order_habits.last_gap_days
    from {{ ref('int_segmentation__order_habits') }} as order_habits
    where order_habits.order_count > 0
),

measured as (
    select
        customers.customer_id,
        customer_gaps.first_order_date,
        customer_gaps.last_order_date,
        customer_gaps.last_gap_days,
        cast(customer_gaps.median_gap_days as {{ double }}) as median_gap_days,
        {{ segmentation.days_between('customer_gaps.first_order_date', 'as_of.as_of_date') }} as days_since_first_order,
        {{ segmentation.days_between('customer_gaps.last_order_date', 'as_of.as_of_date') }} as days_since_last_order,
        coalesce(
            {{ segmentation.setting('segmentation__usual_gap_multiplier') }} * customer_gaps.median_gap_days,
            {{ segmentation.setting('segmentation__at_risk_days') }}
        ) as at_risk_after_days
    from customers
    cross join as_of
    left join customer_gaps
        on customers.customer_id = customer_gaps.customer_id
),

final as (
    select
        -- ids
        customer_id,
        -- strings
        case
            when last_order_date is null then 'prospect'
            when days_since_first_order <= {{ segmentation.setting('segmentation__new_customer_days') }} then 'new'
            when days_since_last_order >= {{ segmentation.setting('segmentation__lapsed_days') }} then 'lapsed'
            when days_since_last_order > at_risk_after_days then 'at_risk'
            when last_gap_days >= {{ segmentation.setting('segmentation__lapsed_days') }} then 'reactivated'
            else 'active'
        end as lifecycle_stage,
        -- numbers
        days_since_first_order,
        days_since_last_order,
        median_gap_days,
        cast(at_risk_after_days as {{ double }}) as at_risk_after_days
    from measured
)

select * from final
