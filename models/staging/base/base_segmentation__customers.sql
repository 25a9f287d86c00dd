-- Every customers input row, typed, with the reason it is rejected (null when accepted).
with

typed as (
    {{ segmentation.typed_input('customers') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('customers', key_columns=['customer_id'], extra_checks=[
            {'code': 'negative_amount', 'condition': 'income < 0',
             'message': "'income is negative: ' || income_raw"},
        ]) }}
    from typed
),

ranked as (
    -- Among rows that pass the row checks, the first by raw values keeps the key.
    select
        row_checked.*,
        row_number() over (
            partition by row_checked.rejection_reason_code is null, row_checked.customer_id
            order by row_checked.raw_values
        ) as key_occurrence
    from row_checked
),

final as (
    select
        {{ segmentation.contract_column_list('customers') }},
        customer_id_raw as row_key,
        raw_values,
        coalesce(
            rejection_reason_code,
            case when key_occurrence > 1 then 'duplicate_key' end
        ) as rejection_reason_code,
        coalesce(
            rejection_message,
            case when key_occurrence > 1 then 'duplicate customer_id: ' || customer_id end
        ) as rejection_message
    from ranked
)

select * from final
