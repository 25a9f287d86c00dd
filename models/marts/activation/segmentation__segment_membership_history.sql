-- One row per stretch of time a customer held a label: the cluster segment,
-- the RFM segment, the lifecycle stage or a user-defined audience. Built from
-- the membership snapshot; a build that changes nothing adds no row.
-- The public contract over int_segmentation__segment_membership_history, which holds the logic.

with

segment_membership_history as (
    select * from {{ ref('int_segmentation__segment_membership_history') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from segment_membership_history
