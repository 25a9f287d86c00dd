-- One row per segment of the current fit: the public contract over
-- int_segmentation__segment_profiles (size, feature profile, name and
-- description). Built only when the quality gates pass (docs/decisions/0013).

with

segment_profiles as (
    select * from {{ ref('int_segmentation__segment_profiles') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from segment_profiles
