-- One row per customer with an accepted order line up to the as-of date: the
-- price-tier features of int_segmentation__psychographics. Each line's price
-- index is its unit price over the median unit price of its category across
-- every customer's lines; premium and value lines are those at or above
-- segmentation__premium_price_ratio, at or below segmentation__value_price_ratio.
-- Incremental feature state (docs/decisions/0025): a build after the first
-- recomputes only the customers whose order lines changed, and everyone when
-- a category's median price moved (the medians are part of the state key).
{%- set settings = ['segmentation__premium_price_ratio', 'segmentation__value_price_ratio'] %}
{%- set text = dbt.type_string() %}
{{ config(
    materialized=segmentation.feature_state_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook=["{{ segmentation.feature_state_cleanup() }}"],
) }}
{%- set medians_key %}
select {{ dbt.listagg(
    "coalesce(category_prices.category, '~') || '=' || coalesce(cast(category_prices.median_unit_price as "
        ~ text ~ "), '-')",
    "','",
    "order by category_prices.category",
) }}
from category_prices
{%- endset %}

with

-- The median unit price per category from the counts of each price: the
-- middle one or two prices by position go through the engine's own median, so
-- the value is exactly median() over every line, without holding 32M prices in
-- memory at 1M customers (a holistic median cannot spill to disk).
price_counts as (
    select
        order_items.category,
        order_items.unit_price,
        count(*) as line_count
    from {{ ref('int_segmentation__order_lines') }} as order_items
    where order_items.unit_price is not null
    group by order_items.category, order_items.unit_price
),

price_positions as (
    select
        price_counts.category,
        price_counts.unit_price,
        sum(price_counts.line_count) over (
            partition by price_counts.category
            order by price_counts.unit_price
            rows between unbounded preceding and current row
        ) as last_position,
        price_counts.line_count,
        sum(price_counts.line_count) over (partition by price_counts.category) as category_lines
    from price_counts
),

-- The prices at the lower and upper middle positions (one row when both fall
-- on the same price, as they do for an odd count).
middle_prices as (
    select
        price_positions.category,
        price_positions.unit_price
    from price_positions
    where
        floor((price_positions.category_lines + 1) / 2.0)
        between price_positions.last_position - price_positions.line_count + 1 and price_positions.last_position
        or floor((price_positions.category_lines + 2) / 2.0)
        between price_positions.last_position - price_positions.line_count + 1 and price_positions.last_position
),

categories as (
    select distinct category_spend.category
    from {{ ref('int_segmentation__category_spend') }} as category_spend
),

category_prices as (
    select
        categories.category,
        {{ segmentation.median('middle_prices.unit_price') }} as median_unit_price
    from categories
    left join middle_prices
        on categories.category = middle_prices.category
    group by categories.category
),

-- The order lines' fingerprints as int_segmentation__category_spend, the state
-- of the same lines built just before, took them.
fingerprints as (
    select distinct
        category_spend.customer_id,
        category_spend.input_fingerprint
    from {{ ref('int_segmentation__category_spend') }} as category_spend
),

changed_customers as (
    {{ segmentation.changed_customers('fingerprints', settings, key_sql=medians_key) }}
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
        changed_customers.input_fingerprint,
        {{ segmentation.feature_state_key_sql(settings, key_sql=medians_key) }} as state_key,
        {{ segmentation.run_timestamp() }} as computed_at
    from changed_customers
    left join price_tiers
        on changed_customers.customer_id = price_tiers.customer_id
)

select * from final
