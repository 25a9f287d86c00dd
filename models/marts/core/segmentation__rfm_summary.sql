-- One row per customer with at least one accepted order on or before the
-- as-of date, in the lifetimes / pymc-marketing summary shape (daily periods):
-- the whole-history columns of int_segmentation__value_summary, which holds
-- the definition.
with

value_summary as (
    select * from {{ ref('int_segmentation__value_summary') }}
),

final as (
    select
        value_summary.customer_id,
        value_summary.frequency,
        value_summary.recency_days as recency,
        value_summary.age_days as T, -- noqa: CP02
        value_summary.monetary_value
    from value_summary
)

select * from final
