-- One row per accepted customer: interests and benefits sought. Category
-- affinity (share of spend per category, one column per category), price-tier
-- preference, discount sensitivity, and declared attributes pivoted from
-- customer_attributes. The pivots read their long form,
-- int_segmentation__customer_attribute_values, and take its column names
-- (psychographic_pivots, docs/decisions/0016). The price tiers and discount
-- sensitivity come from the per-customer state int_segmentation__price_habits
-- and __order_habits (docs/decisions/0025). A switched-off input's models are
-- empty: its features are null, its pivot columns absent.
{%- set categories = segmentation.psychographic_pivots('category_affinity') %}
{%- set attributes = segmentation.psychographic_pivots('declared_attribute') %}

with

customers as (
    select customer_id from {{ ref('stg_segmentation__customers') }}
),

price_habits as (
    select
        price_habits.customer_id,
        price_habits.premium_item_share,
        price_habits.value_item_share,
        price_habits.average_price_index
    from {{ ref('int_segmentation__price_habits') }} as price_habits
),

discounts as (
    select
        order_habits.customer_id,
        order_habits.discount_sensitivity
    from {{ ref('int_segmentation__order_habits') }} as order_habits
    where order_habits.order_count > 0
),

attribute_values as (
    select * from {{ ref('int_segmentation__customer_attribute_values') }}
),

affinity as (
    select
        attribute_values.customer_id,
        {{ segmentation.exact_sum('attribute_values.spend_share * attribute_values.spend_share') }}
            as category_concentration
        {%- for category in categories %},
        coalesce(
            max(
                case
                    when attribute_values.column_name = {{ segmentation.sql_literal(category['column']) }}
                        then attribute_values.spend_share
                end
            ),
            0
        ) as {{ category['column'] }}{% endfor %}
    from attribute_values
    where attribute_values.attribute_kind = 'category_affinity'
    group by attribute_values.customer_id
),

declared as (
    select
        attribute_values.customer_id
        {%- for attribute in attributes %},
        max(
            case
                when attribute_values.column_name = {{ segmentation.sql_literal(attribute['column']) }}
                    then attribute_values.declared_value
            end
        ) as {{ attribute['column'] }}{% endfor %}
    from attribute_values
    where attribute_values.attribute_kind = 'declared_attribute'
    group by attribute_values.customer_id
),

final as (
    select
        -- ids
        customers.customer_id,
        -- strings
        case
            when price_habits.premium_item_share >= 0.5 then 'premium'
            when price_habits.value_item_share >= 0.5 then 'value'
            when price_habits.premium_item_share is not null then 'mixed'
        end as price_tier_preference,
        {%- for attribute in attributes %}
        declared.{{ attribute['column'] }},
        {%- endfor %}
        -- numbers
        price_habits.premium_item_share,
        price_habits.value_item_share,
        price_habits.average_price_index,
        discounts.discount_sensitivity,
        {%- for category in categories %}
        affinity.{{ category['column'] }},
        {%- endfor %}
        affinity.category_concentration
    from customers
    left join affinity
        on customers.customer_id = affinity.customer_id
    left join price_habits
        on customers.customer_id = price_habits.customer_id
    left join discounts
        on customers.customer_id = discounts.customer_id
    left join declared
        on customers.customer_id = declared.customer_id
)

select * from final
