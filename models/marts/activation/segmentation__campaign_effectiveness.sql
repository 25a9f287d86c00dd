{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- One row per audience and campaign that reached it: how many members were
-- sent the campaign and opened, clicked and converted, and the lift of that
-- treated group over the audience's holdout. Both groups are judged on one
-- outcome in one window: an accepted order between the campaign's first send
-- and `segmentation__campaign_outcome_days` after its last. Groups use the
-- current memberships (segmentation__audience_memberships).
-- The public contract over int_segmentation__campaign_effectiveness, which holds the logic.

with

campaign_effectiveness as (
    select * from {{ ref('int_segmentation__campaign_effectiveness') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from campaign_effectiveness
