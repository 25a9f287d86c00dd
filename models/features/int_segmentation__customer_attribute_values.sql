-- One row per customer and category bought up to the as-of date (its share of
-- the customer's order-line spend) and per customer and declared attribute (its
-- value): the psychographic pivots in long form, with the exact text and the
-- column it pivots to in int_segmentation__psychographics (null when the var
-- lists leave it out). A switched-off input's models are empty, so it
-- contributes no rows.
{%- set pivots = segmentation.psychographic_pivots('category_affinity')
    + segmentation.psychographic_pivots('declared_attribute') %}
{%- set double = segmentation.type_double() %}
{%- set text = dbt.type_string() %}

with

category_spend as (
    select
        category_spend.customer_id,
        category_spend.category,
        category_spend.category_value
    from {{ ref('int_segmentation__category_spend') }} as category_spend
),

category_affinity as (
    select
        category_spend.customer_id,
        'category_affinity' as attribute_kind,
        category_spend.category as attribute_name,
        {{ segmentation.safe_divide(
            'category_spend.category_value',
            'sum(category_spend.category_value) over (partition by category_spend.customer_id)'
        ) }} as spend_share,
        cast(null as {{ text }}) as declared_value
    from category_spend
),

declared_attribute as (
    select
        stg_attributes.customer_id,
        'declared_attribute' as attribute_kind,
        stg_attributes.attribute as attribute_name,
        cast(null as {{ double }}) as spend_share,
        stg_attributes.attribute_value as declared_value
    from {{ ref('stg_segmentation__customer_attributes') }} as stg_attributes
),

pivot_columns as (
    {%- for pivot in pivots %}
    select
        {{ segmentation.sql_literal(pivot['kind']) }} as attribute_kind,
        {{ segmentation.sql_literal(pivot['value']) }} as attribute_name,
        {{ segmentation.sql_literal(pivot['column']) }} as column_name
    union all
    {%- endfor %}
    select
        cast(null as {{ text }}) as attribute_kind,
        cast(null as {{ text }}) as attribute_name,
        cast(null as {{ text }}) as column_name
    where 1 = 0
),

attribute_values as (
    select
        category_affinity.customer_id,
        category_affinity.attribute_kind,
        category_affinity.attribute_name,
        category_affinity.spend_share,
        category_affinity.declared_value
    from category_affinity
    union all
    select
        declared_attribute.customer_id,
        declared_attribute.attribute_kind,
        declared_attribute.attribute_name,
        declared_attribute.spend_share,
        declared_attribute.declared_value
    from declared_attribute
),

final as (
    select
        -- ids
        attribute_values.customer_id,
        -- strings
        attribute_values.attribute_kind,
        attribute_values.attribute_name,
        pivot_columns.column_name,
        attribute_values.declared_value,
        -- numbers
        attribute_values.spend_share
    from attribute_values
    left join pivot_columns
        on
            attribute_values.attribute_kind = pivot_columns.attribute_kind
            and attribute_values.attribute_name = pivot_columns.attribute_name
)

select * from final
