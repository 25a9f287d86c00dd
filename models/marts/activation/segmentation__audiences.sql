-- One row per audience: every cluster segment, RFM segment and lifecycle
-- stage a customer has held, and every user-defined audience of the
-- definitions seed, with its priority, holdout share and current size.
-- The public contract over int_segmentation__audiences, which holds the logic.

with

audiences as (
    select * from {{ ref('int_segmentation__audiences') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from audiences
