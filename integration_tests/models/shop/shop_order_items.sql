-- The shop's purchase_lines in the shape of the package's order_items input.

with

purchase_lines as (
    select * from {{ source('shop', 'purchase_lines') }}
),

final as (
    select
        purchase_no as order_id,
        sku as product_id,
        product_group as category,
        qty as quantity,
        price_each as unit_price
    from purchase_lines
)

select * from final
