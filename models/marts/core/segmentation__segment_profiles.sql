-- One row per segment of the current fit: the public contract over
-- int_segmentation__segment_profiles (size, feature profile, name and
-- description). Built only when the quality gates pass (docs/decisions/0013).

with

segment_profiles as (
    select * from {{ ref('int_segmentation__segment_profiles') }}
)

select * from segment_profiles
