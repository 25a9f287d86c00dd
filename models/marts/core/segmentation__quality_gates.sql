-- One row per quality gate and segment of the build's fit, always rebuilt so it
-- shows this build's verdict. The same rows' test (quality_gates_pass, on
-- int_segmentation__publication_gate) stops publishing when a gate fails: the
-- segment marts and everything after them keep the last good build
-- (docs/decisions/0013).

with

gates as (
    select * from {{ ref('int_segmentation__quality_gates') }}
),

final as (
    select
        -- ids
        gate_check_id,
        gate_name,
        segment_id,
        fit_id,
        -- strings
        segment_name,
        k_selection,
        bound_var,
        message,
        -- numbers
        observed_value,
        bound_value,
        -- booleans
        is_passed,
        -- timestamps
        checked_at
    from gates
)

select * from final
