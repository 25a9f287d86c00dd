-- One row per accepted customer, prospects included: the public contract over
-- int_segmentation__customer_features, which joins the feature families.

with

customer_features as (
    select * from {{ ref('int_segmentation__customer_features') }}
)

select * from customer_features
