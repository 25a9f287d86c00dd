-- One row per customer and category bought up to the as-of date (its share of
-- the customer's order-line spend) and per customer and declared attribute (its
-- value): the psychographic pivots in long form, with the exact text and the
-- column it pivots to in int_segmentation__psychographics (null when the var
-- lists leave it out). A switched-off input contributes no rows.
{%- set using_items = segmentation.setting('segmentation__using_order_items') %}
{%- set using_attributes = segmentation.setting('segmentation__using_customer_attributes') %}
{%- set pivots = segmentation.psychographic_pivots('category_affinity')
    + segmentation.psychographic_pivots('declared_attribute') %}
{%- set parts = (['category_affinity'] if using_items else []) + (['declared_attribute'] if using_attributes else []) %}
{%- set double = segmentation.type_double() %}
{%- set text = dbt.type_string() %}

with

{% if using_items -%}
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

{% endif -%}
{% if using_attributes -%}
declared_attribute as (
    select
        stg_attributes.customer_id,
        'declared_attribute' as attribute_kind,
        stg_attributes.attribute as attribute_name,
        cast(null as {{ double }}) as spend_share,
        stg_attributes.attribute_value as declared_value
    from {{ ref('stg_segmentation__customer_attributes') }} as stg_attributes
),

{% endif -%}
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
    {%- for part in parts %}
    select
        customer_id,
        attribute_kind,
        attribute_name,
        spend_share,
        declared_value
    from {{ part }}
    union all
    {%- endfor %}
    select
        cast(null as {{ text }}) as customer_id,
        cast(null as {{ text }}) as attribute_kind,
        cast(null as {{ text }}) as attribute_name,
        cast(null as {{ double }}) as spend_share,
        cast(null as {{ text }}) as declared_value
    where 1 = 0
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
