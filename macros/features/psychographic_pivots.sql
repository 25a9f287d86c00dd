{#- The pivoted columns of int_segmentation__psychographics of one kind:
    'category_affinity' (affinity_<category>, from order_items) or
    'declared_attribute' (declared_<attribute>, from customer_attributes).
    A list of {'kind', 'value', 'column'} (pivot_columns); empty when the input is off.
    The one place both the pivot and the long form take their column names from. -#}
{% macro psychographic_pivots(kind) %}
    {%- set fixed_columns = [
        'customer_id', 'price_tier_preference', 'premium_item_share', 'value_item_share',
        'average_price_index', 'discount_sensitivity', 'category_concentration',
    ] -%}
    {%- if kind == 'category_affinity' -%}
        {%- if not segmentation.setting('segmentation__using_order_items') -%}{{ return([]) }}{%- endif -%}
        {%- set values = segmentation.pivot_values(
            ref('stg_segmentation__order_items'), 'category', 'segmentation__affinity_categories') -%}
        {{ return(segmentation.pivot_columns(values, 'affinity_', fixed_columns, kind)) }}
    {%- elif kind == 'declared_attribute' -%}
        {%- if not segmentation.setting('segmentation__using_customer_attributes') -%}{{ return([]) }}{%- endif -%}
        {%- set values = segmentation.pivot_values(
            ref('stg_segmentation__customer_attributes'), 'attribute', 'segmentation__declared_attributes') -%}
        {{ return(segmentation.pivot_columns(values, 'declared_', fixed_columns, kind)) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("segmentation: unknown pivot kind '" ~ kind ~ "'") }}
{% endmacro %}
