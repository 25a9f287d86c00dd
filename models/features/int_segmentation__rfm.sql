-- One row per customer with at least one accepted order on or before the
-- as-of date (int_segmentation__orders_as_of): recency, frequency, monetary
-- value, their 1-5 scores, the RFM cell and its named segment. Recency counts
-- whole days between dates.
with

orders as (
    select
        customer_id,
        order_total,
        order_date
    from {{ ref('int_segmentation__orders_as_of') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

segment_map as (
    select
        cast(rfm_cell as {{ dbt.type_string() }}) as rfm_cell,
        rfm_segment
    from {{ segmentation.config_relation('segmentation__rfm_segment_map', 'rfm_segment_map') }}
),

customer_orders as (
    select
        orders.customer_id,
        min(orders.order_date) as first_order_date,
        max(orders.order_date) as last_order_date,
        count(*) as frequency,
        sum(orders.order_total) as monetary_total,
        avg(orders.order_total) as monetary_average,
        min(as_of.as_of_date) as as_of_date
    from orders
    cross join as_of
    group by orders.customer_id
),

measured as (
    select
        customer_orders.*,
        {{ segmentation.days_between('customer_orders.last_order_date', 'customer_orders.as_of_date') }} as recency_days
    from customer_orders
),

scored as (
    select
        measured.*,
        {{ segmentation.rfm_score('recency_days', 'recency_days', higher_is_better=false) }} as r_score,
        {{ segmentation.rfm_score('frequency', 'frequency') }} as f_score,
        {{ segmentation.rfm_score('monetary_total', 'monetary') }} as m_score
    from measured
),

celled as (
    select
        scored.*,
        cast(scored.r_score as {{ dbt.type_string() }})
        || cast(scored.f_score as {{ dbt.type_string() }})
        || cast(scored.m_score as {{ dbt.type_string() }}) as rfm_cell
    from scored
),

final as (
    select
        -- ids
        celled.customer_id,
        -- strings
        celled.rfm_cell,
        segment_map.rfm_segment,
        -- numbers
        celled.recency_days,
        celled.frequency,
        celled.monetary_total,
        celled.monetary_average,
        celled.r_score,
        celled.f_score,
        celled.m_score,
        -- dates
        celled.first_order_date,
        celled.last_order_date
    from celled
    left join segment_map
        on celled.rfm_cell = segment_map.rfm_cell
)

select * from final
