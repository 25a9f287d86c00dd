{{ config(materialized='view') }}
-- One row per quality gate and segment of the build's fit: a view of
-- int_segmentation__quality_gates that carries the publishing test
-- (segment_quality_gates_pass). Every model that publishes segments depends on
-- it, so a failed gate skips them and the last good build stays in place,
-- while segmentation__quality_gates, which reads the gates themselves, always
-- shows this build's verdict (docs/decisions/0013, 0020).

with

quality_gates as (
    select * from {{ ref('int_segmentation__quality_gates') }}
)

select
    gate_check_id,
    gate_name,
    segment_id,
    fit_id,
    segment_name,
    k_selection,
    bound_var,
    message,
    observed_value,
    bound_value,
    is_passed,
    checked_at
from quality_gates
