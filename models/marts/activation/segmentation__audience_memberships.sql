-- One row per customer and audience the customer is in now, in the shape
-- warehouse-managed audiences (Hightouch, Census) read: when the customer
-- entered, whether they are held out of campaigns, and whether this is their
-- highest-priority audience (sync only those rows to give each customer one).
-- The public contract over int_segmentation__audience_memberships, which holds the logic.

with

audience_memberships as (
    select * from {{ ref('int_segmentation__audience_memberships') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from audience_memberships
