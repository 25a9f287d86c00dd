-- One row per fit of the value models (calibration, full): the public contract over
-- int_segmentation__value_model (parameters, sample, log-likelihood, fitted at,
-- backtest totals).

with

value_model as (
    select * from {{ ref('int_segmentation__value_model') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from value_model
