-- One row per number of repeat purchases in the calibration period, 0 to 7
-- (7: seven or more), as in Fader, Hardie & Lee (2005, figure 4): the customers
-- with that many, and their mean actual and predicted purchases in the holdout
-- period (predictions of the `calibration` fit).
with

scores as (
    select * from {{ ref('int_segmentation__value_holdout_scores') }}
),

bucketed as (
    select
        case when scores.frequency_cal >= 7 then 7 else cast(scores.frequency_cal as {{ dbt.type_int() }}) end
            as calibration_purchases,
        scores.holdout_purchases,
        scores.predicted_holdout_purchases
    from scores
),

final as (
    select
        -- ids
        cast(bucketed.calibration_purchases as {{ dbt.type_int() }}) as calibration_purchases,
        -- strings
        case when bucketed.calibration_purchases = 7 then '7+'
            else cast(bucketed.calibration_purchases as {{ dbt.type_string() }})
        end as calibration_purchases_label,
        -- numbers
        cast(count(*) as {{ dbt.type_bigint() }}) as customer_count,
        -- exact sums: the same last bits whatever order the warehouse adds rows in
        {{ segmentation.exact_mean('bucketed.holdout_purchases') }} as actual_mean_holdout_purchases,
        {{ segmentation.exact_mean('bucketed.predicted_holdout_purchases') }} as predicted_mean_holdout_purchases,
        {{ segmentation.exact_sum('bucketed.holdout_purchases') }} as actual_holdout_purchases,
        {{ segmentation.exact_sum('bucketed.predicted_holdout_purchases') }} as predicted_holdout_purchases
    from bucketed
    group by bucketed.calibration_purchases
)

select * from final
