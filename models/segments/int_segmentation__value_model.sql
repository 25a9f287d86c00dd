-- One row per fit of the value models (fit_scope 'calibration': on the history up
-- to the calibration end, for the backtest; 'full': on the whole history, for the
-- predictions): parameters, log-likelihoods, sample, status, the calibration and
-- holdout dates, and for the calibration fit the backtest over every customer who
-- bought before the calibration end: actual and predicted holdout purchases and
-- the mean absolute error per customer. The refit policy's decision of the build
-- (docs/decisions/0023): a kept fit keeps its own dates (fitted_through_date,
-- fitted_as_of_date); as_of_date and calibration_end_date are the build's.
with

fits as (
    select * from {{ ref('segmentation__value_fit') }}
),

dates as (
    select distinct
        as_of_date,
        calibration_end_date
    from {{ ref('int_segmentation__value_summary') }}
),

scores as (
    select * from {{ ref('int_segmentation__value_holdout_scores') }}
),

backtest as (
    select
        'calibration' as fit_scope,
        count(*) as holdout_customers,
        -- exact sums: the same last bits whatever order the warehouse adds rows in
        {{ segmentation.exact_sum('scores.holdout_purchases') }} as actual_holdout_purchases,
        {{ segmentation.exact_sum('scores.predicted_holdout_purchases') }} as predicted_holdout_purchases,
        {{ segmentation.exact_mean('abs(scores.predicted_holdout_purchases - scores.holdout_purchases)') }}
            as mean_absolute_error
    from scores
),

final as (
    select
        -- ids
        fits.fit_id,
        -- strings
        fits.fit_scope,
        fits.bgnbd_status,
        fits.gamma_gamma_status,
        fits.package_version,
        fits.run_decision,
        fits.refit_reason,
        -- numbers: parameters
        fits.r,
        fits.alpha,
        fits.a,
        fits.b,
        fits.p,
        fits.q,
        fits.gamma,
        fits.bgnbd_log_likelihood,
        fits.gamma_gamma_log_likelihood,
        -- numbers: sample
        cast(fits.period_days as {{ dbt.type_int() }}) as period_days,
        cast(fits.eligible_customers as {{ dbt.type_bigint() }}) as eligible_customers,
        cast(fits.sample_size as {{ dbt.type_bigint() }}) as sample_size,
        cast(fits.bgnbd_customers as {{ dbt.type_bigint() }}) as bgnbd_customers,
        cast(fits.gamma_gamma_customers as {{ dbt.type_bigint() }}) as gamma_gamma_customers,
        cast(fits.gamma_gamma_excluded_customers as {{ dbt.type_bigint() }}) as gamma_gamma_excluded_customers,
        cast(fits.max_fit_rows as {{ dbt.type_bigint() }}) as max_fit_rows,
        -- numbers: backtest (calibration fit only)
        cast(backtest.holdout_customers as {{ dbt.type_bigint() }}) as holdout_customers,
        cast(backtest.actual_holdout_purchases as {{ segmentation.type_double() }}) as actual_holdout_purchases,
        cast(backtest.predicted_holdout_purchases as {{ segmentation.type_double() }})
            as predicted_holdout_purchases,
        cast(backtest.mean_absolute_error as {{ segmentation.type_double() }}) as mean_absolute_error,
        -- dates and timestamps
        cast(fits.fitted_through_date as date) as fitted_through_date,
        cast(fits.fitted_as_of_date as date) as fitted_as_of_date,
        dates.calibration_end_date,
        dates.as_of_date,
        fits.fitted_at
    from fits
    cross join dates
    left join backtest
        on fits.fit_scope = backtest.fit_scope
)

select * from final
