{{ config(enabled=segmentation.setting('segmentation__using_customer_attributes')) }}
-- Every customer_attributes input row, typed, with the reason it is rejected (null when accepted).
with

customers as (
    select customer_id from {{ ref('base_segmentation__customers') }}
    where rejection_reason_code is null
),

typed as (
    {{ segmentation.typed_input('customer_attributes') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('customer_attributes', key_columns=['customer_id', 'attribute']) }}
    from typed
),

ranked as (
    select
        row_checked.*,
        row_number() over (
            partition by row_checked.rejection_reason_code is null, row_checked.customer_id, row_checked.attribute
            order by row_checked.raw_values
        ) as key_occurrence
    from row_checked
),

final as (
    select
        {{ segmentation.contract_column_list('customer_attributes', 'ranked') }},
        ranked.customer_id_raw || ':' || ranked.attribute_raw as row_key,
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
                when ranked.key_occurrence > 1
                    then 'duplicate (customer_id, attribute): ' || ranked.customer_id || ', ' || ranked.attribute
                when customers.customer_id is null
                    then 'customer_id not among accepted customers: ' || ranked.customer_id
            end
        ) as rejection_message
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id
)

select * from final
