-- One row per accepted customer, prospects included: every feature family
-- joined on customer_id, each column cast to the type of the public contract
-- (segmentation__customer_features selects it as it is). The cluster model,
-- the segment models and the audiences read this table, never the mart.
with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

demographics as (
    select * from {{ ref('int_segmentation__demographics') }}
),

rfm as (
    select * from {{ ref('int_segmentation__rfm') }}
),

behaviour as (
    select * from {{ ref('int_segmentation__behaviour') }}
),

technographics as (
    select * from {{ ref('int_segmentation__technographics') }}
),

psychographics as (
    select * from {{ ref('int_segmentation__psychographics') }}
),

lifecycle as (
    select * from {{ ref('int_segmentation__lifecycle') }}
),

final as (
    select
        customers.customer_id,
        -- demographics
        cast(demographics.age_years as {{ dbt.type_bigint() }}) as age_years,
        cast(demographics.age_band as {{ dbt.type_string() }}) as age_band,
        cast(demographics.gender as {{ dbt.type_string() }}) as gender,
        cast(demographics.income as {{ segmentation.type_money() }}) as income,
        cast(demographics.income_band as {{ dbt.type_string() }}) as income_band,
        cast(demographics.education as {{ dbt.type_string() }}) as education,
        cast(demographics.occupation as {{ dbt.type_string() }}) as occupation,
        cast(demographics.country as {{ dbt.type_string() }}) as country,
        cast(demographics.region as {{ dbt.type_string() }}) as region,
        cast(demographics.city as {{ dbt.type_string() }}) as city,
        cast(demographics.tenure_days as {{ dbt.type_bigint() }}) as tenure_days,
        -- rfm
        cast(rfm.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(rfm.monetary_total as {{ segmentation.type_money() }}) as monetary_total,
        cast(rfm.monetary_average as {{ segmentation.type_money() }}) as monetary_average,
        cast(rfm.r_score as {{ dbt.type_bigint() }}) as r_score,
        cast(rfm.f_score as {{ dbt.type_bigint() }}) as f_score,
        cast(rfm.m_score as {{ dbt.type_bigint() }}) as m_score,
        cast(rfm.rfm_cell as {{ dbt.type_string() }}) as rfm_cell,
        cast(rfm.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(rfm.first_order_date as date) as first_order_date,
        cast(rfm.last_order_date as date) as last_order_date,
        -- behaviour
        cast(behaviour.order_count as {{ dbt.type_bigint() }}) as order_count,
        cast(behaviour.orders_per_30_days as {{ segmentation.type_double() }}) as orders_per_30_days,
        cast(behaviour.average_order_value as {{ segmentation.type_double() }}) as average_order_value,
        cast(behaviour.mean_days_between_orders as {{ segmentation.type_double() }}) as mean_days_between_orders,
        cast(behaviour.stddev_days_between_orders as {{ segmentation.type_double() }}) as stddev_days_between_orders,
        cast(behaviour.discount_order_share as {{ segmentation.type_double() }}) as discount_order_share,
        cast(behaviour.return_cancel_rate as {{ segmentation.type_double() }}) as return_cancel_rate,
        cast(behaviour.distinct_categories as {{ dbt.type_bigint() }}) as distinct_categories,
        cast(behaviour.favourite_category as {{ dbt.type_string() }}) as favourite_category,
        cast(behaviour.favourite_category_spend_share as {{ segmentation.type_double() }})
            as favourite_category_spend_share,
        cast(behaviour.primary_order_channel as {{ dbt.type_string() }}) as primary_order_channel,
        cast(behaviour.primary_order_channel_share as {{ segmentation.type_double() }}) as primary_order_channel_share,
        cast(behaviour.distinct_order_channels as {{ dbt.type_bigint() }}) as distinct_order_channels,
        cast(behaviour.average_basket_size as {{ segmentation.type_double() }}) as average_basket_size,
        cast(behaviour.weekend_order_share as {{ segmentation.type_double() }}) as weekend_order_share,
        cast(behaviour.preferred_order_daypart as {{ dbt.type_string() }}) as preferred_order_daypart,
        cast(behaviour.preferred_order_daypart_share as {{ segmentation.type_double() }})
            as preferred_order_daypart_share,
        cast(behaviour.session_count as {{ dbt.type_bigint() }}) as session_count,
        cast(behaviour.event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(behaviour.sessions_per_order as {{ segmentation.type_double() }}) as sessions_per_order,
        cast(behaviour.browse_to_buy_conversion as {{ segmentation.type_double() }}) as browse_to_buy_conversion,
        cast(behaviour.cart_abandonment_rate as {{ segmentation.type_double() }}) as cart_abandonment_rate,
        cast(behaviour.touches_received as {{ dbt.type_bigint() }}) as touches_received,
        cast(behaviour.open_rate as {{ segmentation.type_double() }}) as open_rate,
        cast(behaviour.click_rate as {{ segmentation.type_double() }}) as click_rate,
        cast(behaviour.campaign_conversion_rate as {{ segmentation.type_double() }}) as campaign_conversion_rate,
        -- technographics
        cast(technographics.primary_device_type as {{ dbt.type_string() }}) as primary_device_type,
        cast(technographics.primary_os as {{ dbt.type_string() }}) as primary_os,
        cast(technographics.primary_browser as {{ dbt.type_string() }}) as primary_browser,
        cast(technographics.primary_platform as {{ dbt.type_string() }}) as primary_platform,
        cast(technographics.has_adopted_app as {{ dbt.type_boolean() }}) as has_adopted_app,
        cast(technographics.mobile_session_share as {{ segmentation.type_double() }}) as mobile_session_share,
        cast(technographics.distinct_devices as {{ dbt.type_bigint() }}) as distinct_devices,
        -- psychographics
        cast(psychographics.price_tier_preference as {{ dbt.type_string() }}) as price_tier_preference,
        cast(psychographics.premium_item_share as {{ segmentation.type_double() }}) as premium_item_share,
        cast(psychographics.value_item_share as {{ segmentation.type_double() }}) as value_item_share,
        cast(psychographics.average_price_index as {{ segmentation.type_double() }}) as average_price_index,
        cast(psychographics.discount_sensitivity as {{ segmentation.type_double() }}) as discount_sensitivity,
        cast(psychographics.category_concentration as {{ segmentation.type_double() }}) as category_concentration,
        -- lifecycle
        cast(lifecycle.lifecycle_stage as {{ dbt.type_string() }}) as lifecycle_stage,
        cast(lifecycle.days_since_first_order as {{ dbt.type_bigint() }}) as days_since_first_order,
        cast(lifecycle.days_since_last_order as {{ dbt.type_bigint() }}) as days_since_last_order,
        cast(lifecycle.median_gap_days as {{ segmentation.type_double() }}) as median_gap_days,
        cast(lifecycle.at_risk_after_days as {{ segmentation.type_double() }}) as at_risk_after_days,
        as_of.as_of_date
    from customers
    cross join as_of
    left join demographics
        on customers.customer_id = demographics.customer_id
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join behaviour
        on customers.customer_id = behaviour.customer_id
    left join technographics
        on customers.customer_id = technographics.customer_id
    left join psychographics
        on customers.customer_id = psychographics.customer_id
    left join lifecycle
        on customers.customer_id = lifecycle.customer_id
)

select * from final
