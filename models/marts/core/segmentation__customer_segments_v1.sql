-- One row per accepted customer with every segment label: the public contract
-- (version 1) over int_segmentation__customer_segments. The table dashboards
-- filter on and reverse-ETL tools sync, so its columns only change with a new
-- version (docs/decisions/0009). Built only when the quality gates pass
-- (docs/decisions/0013).

with

customer_segments as (
    select * from {{ ref('int_segmentation__customer_segments') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from customer_segments
