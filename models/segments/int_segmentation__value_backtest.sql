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
        cast(avg(bucketed.holdout_purchases) as {{ segmentation.type_double() }}) as actual_mean_holdout_purchases,
        cast(avg(bucketed.predicted_holdout_purchases) as {{ segmentation.type_double() }})
            as predicted_mean_holdout_purchases,
        cast(sum(bucketed.holdout_purchases) as {{ segmentation.type_double() }}) as actual_holdout_purchases,
        cast(sum(bucketed.predicted_holdout_purchases) as {{ segmentation.type_double() }})
            as predicted_holdout_purchases
    from bucketed
    group by bucketed.calibration_purchases
)

select * from final
