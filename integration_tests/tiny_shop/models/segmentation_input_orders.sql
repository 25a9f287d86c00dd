-- The package's orders input: renamed, and cents converted to currency units.
select
    order_id,
    customer_id,
    order_date as ordered_at,
    amount_cents / 100.0 as order_total,
    status
from {{ ref('stg_orders') }}
