-- One row per number of calibration repeat purchases (0 to 7+): the public contract
-- over int_segmentation__value_backtest (predicted vs actual holdout purchases).

with

value_backtest as (
    select * from {{ ref('int_segmentation__value_backtest') }}
)

-- The contract's columns in its order (the yml), so a column added upstream stays out.
select
    {{ model.columns.keys() | join(',\n    ') }}
from value_backtest
