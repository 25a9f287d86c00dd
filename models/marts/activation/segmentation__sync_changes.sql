-- The changes-only feed for reverse-ETL: one row per customer and label slot
-- each time a build changed it: entered (no label before), exited (no label
-- now) or moved (one label to another). Keyed by change_id, which never
-- changes, so a sync that diffs by key sends each change once; a build that
-- changes nothing adds no row.
-- The public contract over int_segmentation__sync_changes, which holds the logic.

with

sync_changes as (
    select * from {{ ref('int_segmentation__sync_changes') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from sync_changes
