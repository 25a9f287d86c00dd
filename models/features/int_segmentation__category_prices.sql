-- One row per category bought up to the as-of date: the median unit price of
-- its order lines across every customer, for the price index of
-- int_segmentation__price_habits (and, as a global statistic, part of that
-- state's key: when a median moves, every customer's price tiers are recomputed).
with

-- One scan of the order lines: lines per category and price, a null price
-- included, so a category whose lines have no price is still a row.
price_counts as {{ segmentation.materialized_cte() }} (
    select
        order_items.category,
        order_items.unit_price,
        count(*) as line_count
    from {{ ref('int_segmentation__order_lines') }} as order_items
    group by order_items.category, order_items.unit_price
),

-- The median unit price per category from the counts of each price: the
-- middle one or two prices by position go through the engine's own median, so
-- the value is exactly median() over every line, without holding 32M prices in
-- memory at 1M customers (a holistic median cannot spill to disk).
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
    where price_counts.unit_price is not null
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
    select distinct price_counts.category
    from price_counts
),

final as (
    select
        categories.category,
        {{ segmentation.median('middle_prices.unit_price') }} as median_unit_price
    from categories
    left join middle_prices
        on categories.category = middle_prices.category
    group by categories.category
)

select * from final
