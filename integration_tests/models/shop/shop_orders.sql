-- The shop's purchases in the shape of the package's orders input.

with

purchases as (
    select * from {{ source('shop', 'purchases') }}
),

final as (
    select
        purchase_no as order_id,
        client_ref as customer_id,
        purchased_ts as ordered_at,
        amount_paid as order_total,
        amount_discounted as discount_total,
        sales_channel as channel,
        purchase_state as status
    from purchases
)

select * from final
