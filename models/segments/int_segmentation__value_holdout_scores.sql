-- One row per customer whose first purchase is on or before the calibration end:
-- the backtest's prediction from the `calibration` fit (history up to the
-- calibration end only) of purchases in the holdout period after it, beside the
-- purchases actually made then. predicted = hypergeometric numerator over the
-- holdout (segmentation__value_curves) x P(alive) at the calibration end.
{%- set period_days = segmentation.value_period_days() %}

with

summary as (
    select * from {{ ref('int_segmentation__value_summary') }}
    where is_in_calibration
),

fit as (
    select * from {{ ref('segmentation__value_fit') }}
    where fit_scope = 'calibration'
),

curves as (
    select * from {{ ref('segmentation__value_curves') }}
    where fit_scope = 'calibration'
),

scored as (
    select
        summary.customer_id,
        fit.fit_id,
        summary.frequency_cal,
        summary.holdout_purchases,
        {{ segmentation.bgnbd_probability_alive(
            'summary.frequency_cal',
            'summary.recency_cal_days / ' ~ period_days,
            'summary.age_cal_days / ' ~ period_days,
            'fit.r', 'fit.alpha', 'fit.a', 'fit.b') }} as probability_alive_cal,
        curves.expected_purchases_numerator
    from summary
    cross join fit
    left join curves
        on summary.frequency_cal = curves.frequency
            and summary.age_cal_days = curves.age_days
),

final as (
    select
        -- ids
        scored.customer_id,
        scored.fit_id,
        -- numbers
        scored.frequency_cal,
        scored.holdout_purchases,
        scored.probability_alive_cal,
        scored.expected_purchases_numerator * scored.probability_alive_cal as predicted_holdout_purchases
    from scored
)

select * from final
