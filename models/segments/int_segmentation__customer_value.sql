-- One row per customer with an order on or before the as-of date: BG/NBD's
-- probability of being alive and expected purchases in the next
-- segmentation__value_horizon_days, Gamma-Gamma's expected spend per purchase,
-- the predicted value over segmentation__value_months (monthly discount rate
-- segmentation__value_monthly_discount_rate), the value tier, and the two
-- built-in audiences. Parameters from the `full` fit of segmentation__value_fit,
-- the hypergeometric numerator per (frequency, T) from segmentation__value_curves
-- (expected purchases = numerator x P(alive)).
--   expected spend = (gamma + m x) p / (p x + q - 1); null when a repeat customer's
--     mean repeat spend m is not positive (outside Gamma-Gamma), or p x + q <= 1
--   predicted value = discounted numerator x P(alive) x expected spend
--   value if active = discounted numerator x expected spend (P(alive) = 1)
--   value tier: top / middle / bottom by predicted value, with the shares of the
--     spend tier (segmentation__value_tier_top_share / _bottom_share)
--   high value at risk: value if active in the top segmentation__high_value_top_share
--     of customers and P(alive) below segmentation__at_risk_max_probability_alive
--   likely to buy soon: expected purchases at least
--     segmentation__likely_to_buy_min_expected_purchases
{%- set period_days = segmentation.value_period_days() %}
{%- set top_share = segmentation.setting('segmentation__value_tier_top_share') %}
{%- set bottom_share = segmentation.setting('segmentation__value_tier_bottom_share') %}
{%- set high_value_share = segmentation.setting('segmentation__high_value_top_share') %}
{%- set max_alive = segmentation.setting('segmentation__at_risk_max_probability_alive') %}
{%- set min_purchases = segmentation.setting('segmentation__likely_to_buy_min_expected_purchases') %}

with

summary as (
    select * from {{ ref('int_segmentation__value_summary') }}
),

fit as (
    select * from {{ ref('segmentation__value_fit') }}
    where fit_scope = 'full'
),

curves as (
    select * from {{ ref('segmentation__value_curves') }}
    where fit_scope = 'full'
),

scored as (
    select
        summary.customer_id,
        summary.frequency,
        summary.monetary_value,
        summary.total_spend,
        summary.as_of_date,
        fit.fit_id,
        fit.bgnbd_status,
        fit.gamma_gamma_status,
        {{ segmentation.bgnbd_probability_alive(
            'summary.frequency',
            'summary.recency_days / ' ~ period_days,
            'summary.age_days / ' ~ period_days,
            'fit.r', 'fit.alpha', 'fit.a', 'fit.b') }} as probability_alive,
        curves.expected_purchases_numerator,
        curves.discounted_purchases_numerator,
        case
            when summary.frequency > 0 and summary.monetary_value <= 0 then null
            when fit.p * summary.frequency + fit.q <= 1 then null
            else (fit.gamma + summary.monetary_value * summary.frequency) * fit.p
                / (fit.p * summary.frequency + fit.q - 1)
        end as expected_average_order_value
    from summary
    cross join fit
    left join curves
        on summary.frequency = curves.frequency
            and summary.age_days = curves.age_days
),

valued as (
    select
        scored.*,
        scored.expected_purchases_numerator * scored.probability_alive as expected_purchases,
        scored.discounted_purchases_numerator * scored.expected_average_order_value as value_if_active,
        scored.discounted_purchases_numerator * scored.probability_alive * scored.expected_average_order_value
            as predicted_value
    from scored
),

ranked as (
    select
        valued.*,
        case
            when valued.predicted_value is not null
                then cume_dist() over (
                        partition by valued.predicted_value is null order by valued.predicted_value desc
                    )
        end as predicted_value_rank_share,
        case
            when valued.value_if_active is not null
                then cume_dist() over (
                        partition by valued.value_if_active is null order by valued.value_if_active desc
                    )
        end as value_if_active_rank_share
    from valued
),

final as (
    select
        -- ids
        ranked.customer_id,
        ranked.fit_id,
        -- strings
        case
            when ranked.predicted_value_rank_share is null then null
            when ranked.predicted_value_rank_share <= {{ top_share }} then 'top'
            when ranked.predicted_value_rank_share > {{ 1 - bottom_share }} then 'bottom'
            else 'middle'
        end as predicted_value_tier,
        case
            when ranked.bgnbd_status != 'fitted' then 'BG/NBD not fitted: ' || ranked.bgnbd_status
            when ranked.expected_purchases is null then 'expected purchases not finite for this frequency and T'
            when ranked.gamma_gamma_status != 'fitted' then 'Gamma-Gamma not fitted: ' || ranked.gamma_gamma_status
            when ranked.frequency > 0 and ranked.monetary_value <= 0
                then 'mean repeat spend not positive: outside the Gamma-Gamma model'
            when ranked.expected_average_order_value is null then 'expected spend infinite (p x + q <= 1)'
        end as prediction_note,
        -- numbers
        ranked.frequency,
        ranked.total_spend,
        ranked.probability_alive,
        ranked.expected_purchases,
        ranked.expected_average_order_value,
        ranked.predicted_value,
        ranked.value_if_active,
        -- booleans
        coalesce(
            ranked.value_if_active_rank_share <= {{ high_value_share }}
            and ranked.probability_alive < {{ max_alive }},
            false
        ) as is_high_value_at_risk,
        coalesce(ranked.expected_purchases >= {{ min_purchases }}, false) as is_likely_to_buy_soon,
        -- dates
        ranked.as_of_date
    from ranked
)

select * from final
