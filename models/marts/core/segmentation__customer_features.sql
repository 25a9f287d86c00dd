-- One row per accepted customer, prospects included: the public contract over
-- int_segmentation__customer_features, which joins the feature families.

with

customer_features as (
    select * from {{ ref('int_segmentation__customer_features') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from customer_features
