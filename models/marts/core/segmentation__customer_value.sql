-- One row per customer with an order on or before the as-of date: the public contract
-- over int_segmentation__customer_value (probability alive, expected purchases,
-- expected spend, predicted value and tier, the value audiences).

with

customer_value as (
    select * from {{ ref('int_segmentation__customer_value') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from customer_value
