-- Every orders input row, typed, with the reason it is rejected (null when accepted).
with

customers as (
    select customer_id from {{ ref('base_segmentation__customers') }}
    where rejection_reason_code is null
),

typed as (
    {{ segmentation.typed_input('orders') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('orders', key_columns=['order_id'], extra_checks=[
            {'code': 'negative_amount', 'condition': 'order_total < 0',
             'message': "'order_total is negative: ' || order_total_raw"},
            {'code': 'negative_amount', 'condition': 'discount_total < 0',
             'message': "'discount_total is negative: ' || discount_total_raw"},
        ]) }}
    from typed
),

ranked as (
    -- Among rows that pass the row checks, the first by raw values keeps the key.
    select
        row_checked.*,
        row_number() over (
            partition by row_checked.rejection_reason_code is null, row_checked.order_id
            order by row_checked.raw_values
        ) as key_occurrence
    from row_checked
),

final as (
    select
        {{ segmentation.contract_column_list('orders', 'ranked') }},
        ranked.order_id_raw as row_key,
        ranked.raw_values,
        coalesce(
            ranked.rejection_reason_code,
            case
                when ranked.key_occurrence > 1 then 'duplicate_key'
                when customers.customer_id is null then 'unknown_customer'
            end
        ) as rejection_reason_code,
        coalesce(
            ranked.rejection_message,
            case
                when ranked.key_occurrence > 1 then 'duplicate order_id: ' || ranked.order_id
                when customers.customer_id is null
                    then 'customer_id not among accepted customers: ' || ranked.customer_id
            end
        ) as rejection_message
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id
)

select * from final
