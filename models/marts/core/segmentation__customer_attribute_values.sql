-- One row per customer and category bought, and per customer and declared
-- attribute: the psychographic pivots in long form, each column cast to its
-- contract type.
with

attribute_values as (
    select * from {{ ref('int_segmentation__customer_attribute_values') }}
),

final as (
    select
        -- ids
        cast(attribute_values.customer_id as {{ dbt.type_string() }}) as customer_id,
        -- strings
        cast(attribute_values.attribute_kind as {{ dbt.type_string() }}) as attribute_kind,
        cast(attribute_values.attribute_name as {{ dbt.type_string() }}) as attribute_name,
        cast(attribute_values.column_name as {{ dbt.type_string() }}) as column_name,
        cast(attribute_values.declared_value as {{ dbt.type_string() }}) as declared_value,
        -- numbers
        cast(attribute_values.spend_share as {{ segmentation.type_double() }}) as spend_share
    from attribute_values
)

select * from final
