-- One row per quality gate and segment of the build's fit. Its test
-- (quality_gates_pass) stops publishing when a gate fails: the segment marts
-- and everything after them keep the last good build (docs/decisions/0013).
select * from {{ ref('int_segmentation__quality_gates') }}
