-- One row per customer and category bought up to the as-of date: the customer's
-- spend in the category (quantity x unit_price of each order line, as money,
-- summed), for the category features of int_segmentation__order_habits and the
-- category affinities of int_segmentation__customer_attribute_values.
-- Incremental feature state (docs/decisions/0025): a build after the first
-- recomputes only the customers whose order lines changed.
{{ config(
    materialized=segmentation.feature_state_materialization(),
    unique_key='customer_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    pre_hook=segmentation.feature_state_hooks('int_segmentation__category_spend'),
    post_hook=segmentation.feature_state_cleanup_hooks(),
) }}

with

changed_customers as (
    {{ segmentation.changed_customers('int_segmentation__category_spend') }}
),

order_lines as (
    select
        order_lines.customer_id,
        order_lines.category,
        {{ segmentation.money_product('order_lines.quantity', 'order_lines.unit_price') }} as line_value
    from {{ ref('int_segmentation__order_lines') }} as order_lines
    {{ segmentation.only_changed_customers('order_lines') }}
),

spend as (
    select
        order_lines.customer_id,
        order_lines.category,
        sum(order_lines.line_value) as category_value
    from order_lines
    group by order_lines.customer_id, order_lines.category
),

final as (
    select
        -- ids
        changed_customers.customer_id,
        -- strings
        spend.category,
        -- numbers
        spend.category_value,
        -- state
        {{ segmentation.feature_state_columns('int_segmentation__category_spend') }}
    from changed_customers
    left join spend
        on changed_customers.customer_id = spend.customer_id
)

select * from final
