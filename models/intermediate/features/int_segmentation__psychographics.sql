-- One row per accepted customer: interests and benefits sought. Category
-- affinity (share of spend per category, one column per category), price-tier
-- preference, discount sensitivity, and declared attributes pivoted from
-- customer_attributes. Features of a switched-off input are null or absent.
{%- set using_items = var('segmentation__using_order_items', true) %}
{%- set using_attributes = var('segmentation__using_customer_attributes', true) %}
{%- set double = segmentation.type_double() %}
{%- set categories = segmentation.pivot_values(
    ref('stg_segmentation__order_items'), 'category', 'segmentation__affinity_categories'
) if using_items else [] %}
{%- set attributes = segmentation.pivot_values(
    ref('stg_segmentation__customer_attributes'), 'attribute', 'segmentation__declared_attributes'
) if using_attributes else [] %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

orders as (
    select
        stg_orders.order_id,
        stg_orders.customer_id,
        stg_orders.order_total,
        coalesce(stg_orders.discount_total, 0) as discount_total
    from {{ ref('stg_segmentation__orders') }} as stg_orders
    cross join as_of
    where cast(stg_orders.ordered_at as date) <= as_of.as_of_date
),

{% if using_items -%}
order_items as (
    select
        orders.customer_id,
        stg_items.category,
        stg_items.quantity,
        stg_items.unit_price,
        stg_items.quantity * stg_items.unit_price as line_value
    from {{ ref('stg_segmentation__order_items') }} as stg_items
    inner join orders
        on stg_items.order_id = orders.order_id
),

category_prices as (
    select
        order_items.category,
        {{ segmentation.median('order_items.unit_price') }} as median_unit_price
    from order_items
    group by order_items.category
),

priced_items as (
    select
        order_items.customer_id,
        order_items.category,
        order_items.quantity,
        order_items.line_value,
        {{ segmentation.safe_divide('order_items.unit_price', 'category_prices.median_unit_price') }} as price_index
    from order_items
    inner join category_prices
        on order_items.category = category_prices.category
),

category_spend as (
    select
        priced_items.customer_id,
        priced_items.category,
        sum(priced_items.line_value) as category_value
    from priced_items
    group by priced_items.customer_id, priced_items.category
),

category_shares as (
    select
        category_spend.customer_id,
        category_spend.category,
        {{ segmentation.safe_divide(
            'category_spend.category_value',
            'sum(category_spend.category_value) over (partition by category_spend.customer_id)'
        ) }} as spend_share
    from category_spend
),

affinity as (
    select
        category_shares.customer_id,
        {{ segmentation.exact_sum('category_shares.spend_share * category_shares.spend_share') }}
            as category_concentration
        {%- for category in categories %},
        coalesce(
            sum(
                case
                    when category_shares.category = '{{ category | replace("'", "''") }}'
                        then category_shares.spend_share
                end
            ),
            0
        ) as affinity_{{ segmentation.column_slug(category) }}{% endfor %}
    from category_shares
    group by category_shares.customer_id
),

price_tiers as (
    select
        priced_items.customer_id,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index >= ' ~ var('segmentation__premium_price_ratio')
            ~ ' then priced_items.quantity else 0 end)',
            'sum(priced_items.quantity)'
        ) }} as premium_item_share,
        {{ segmentation.safe_divide(
            'sum(case when priced_items.price_index <= ' ~ var('segmentation__value_price_ratio')
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
{%- else -%}
affinity as (
    select
        customer_id,
        cast(null as {{ double }}) as category_concentration
    from customers
),

price_tiers as (
    select
        customer_id,
        cast(null as {{ double }}) as premium_item_share,
        cast(null as {{ double }}) as value_item_share,
        cast(null as {{ double }}) as average_price_index
    from customers
),
{%- endif %}

discounts as (
    select
        orders.customer_id,
        {{ segmentation.safe_divide('sum(orders.discount_total)', 'sum(orders.order_total + orders.discount_total)') }}
            as discount_sensitivity
    from orders
    group by orders.customer_id
),

{% if using_attributes -%}
declared as (
    select
        stg_attributes.customer_id
        {%- for attribute in attributes %},
        max(
            case
                when stg_attributes.attribute = '{{ attribute | replace("'", "''") }}'
                    then stg_attributes.attribute_value
            end
        ) as declared_{{ segmentation.column_slug(attribute) }}{% endfor %}
    from {{ ref('stg_segmentation__customer_attributes') }} as stg_attributes
    group by stg_attributes.customer_id
),
{%- endif %}

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        case
            when price_tiers.premium_item_share >= 0.5 then 'premium'
            when price_tiers.value_item_share >= 0.5 then 'value'
            when price_tiers.premium_item_share is not null then 'mixed'
        end as price_tier_preference,
        {%- for attribute in attributes %}
        declared.declared_{{ segmentation.column_slug(attribute) }},
        {%- endfor %}
        -- numbers
        price_tiers.premium_item_share,
        price_tiers.value_item_share,
        price_tiers.average_price_index,
        discounts.discount_sensitivity,
        {%- for category in categories %}
        affinity.affinity_{{ segmentation.column_slug(category) }},
        {%- endfor %}
        affinity.category_concentration
    from customers
    left join affinity
        on customers.customer_id = affinity.customer_id
    left join price_tiers
        on customers.customer_id = price_tiers.customer_id
    left join discounts
        on customers.customer_id = discounts.customer_id
    {%- if using_attributes %}
    left join declared
        on customers.customer_id = declared.customer_id
    {%- endif %}
)

select * from final
