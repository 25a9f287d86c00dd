-- From-label -> to-label customer counts at each build that changed a label,
-- against the state the build before left: for the cluster segment, the RFM
-- segment and the lifecycle stage. Rows whose labels match are customers who
-- stayed; a null from_label is an entry, a null to_label an exit. Enough for a
-- migration matrix or a Sankey diagram.
-- The public contract over int_segmentation__segment_transitions, which holds the logic.

with

segment_transitions as (
    select * from {{ ref('int_segmentation__segment_transitions') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from segment_transitions
