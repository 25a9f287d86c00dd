-- One row per customer with an accepted order line up to the as-of date: the
-- price-tier features of int_segmentation__psychographics. Each line's price
-- index is its unit price over the median unit price of its category across
-- every customer's lines (int_segmentation__category_prices); premium and
-- value lines are those at or above segmentation__premium_price_ratio, at or
-- below segmentation__value_price_ratio.
-- Incremental feature state (docs/decisions/0025): a build after the first
-- recomputes only the customers whose order lines changed, and everyone when
-- a category's median price moved (the medians are part of the state key).
{{ config(
    materialized=segmentation.feature_state_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.feature_state_hooks('int_segmentation__price_habits'),
    post_hook=segmentation.feature_state_cleanup_hooks(),
) }}

with

category_prices as (
    select
        category_prices.category,
        category_prices.median_unit_price
    from {{ ref('int_segmentation__category_prices') }} as category_prices
),

changed_customers as (
    {{ segmentation.changed_customers('int_segmentation__price_habits') }}
),

priced_items as (
    select
        order_items.customer_id,
        order_items.category,
        order_items.quantity,
        {{ segmentation.safe_divide('order_items.unit_price', 'category_prices.median_unit_price') }} as price_index
    from {{ ref('int_segmentation__order_lines') }} as order_items
    inner join category_prices
        on order_items.category = category_prices.category
    {{ segmentation.only_changed_customers('order_items') }}
),

price_tiers as (
    select
        priced_items.customer_id,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index >= ' ~ segmentation.setting('segmentation__premium_price_ratio')
            ~ ' then priced_items.quantity else 0 end)',
            'sum(priced_items.quantity)'
        ) }} as premium_item_share,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index <= ' ~ segmentation.setting('segmentation__value_price_ratio')
            ~ ' then priced_items.quantity else 0 end)',
            'sum(priced_items.quantity)'
        ) }} as value_item_share,
        {{ segmentation.safe_divide(
            segmentation.exact_sum('priced_items.price_index * priced_items.quantity'),
            'sum(priced_items.quantity)'
        ) }} as average_price_index
    from priced_items
    group by priced_items.customer_id
),

final as (
    select
        -- ids
        changed_customers.customer_id,
        -- numbers
        price_tiers.premium_item_share,
        price_tiers.value_item_share,
        price_tiers.average_price_index,
        -- state
        {{ segmentation.feature_state_columns('int_segmentation__price_habits') }}
    from changed_customers
    left join price_tiers
        on changed_customers.customer_id = price_tiers.customer_id
)

select * from final
