-- The current labels of every labelled customer, one row each, for a sync
-- that reads the whole state rather than the changes (segmentation__sync_changes).
-- The public contract over int_segmentation__sync_current_state, which holds the logic.

with

sync_current_state as (
    select * from {{ ref('int_segmentation__sync_current_state') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from sync_current_state
