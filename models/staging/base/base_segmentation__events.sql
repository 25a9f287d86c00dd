{{ config(enabled=segmentation.setting('segmentation__using_events')) }}
-- Every events input row, typed, with the reason it is rejected (null when accepted).
-- Events have no key: an exact copy of an accepted event is a double-fired
-- duplicate and is rejected as duplicate_key.
with

customers as (
    select customer_id from {{ ref('base_segmentation__customers') }}
    where rejection_reason_code is null
),

typed as (
    {{ segmentation.typed_input('events') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('events', extra_checks=[
            {'code': 'unknown_event_type',
             'condition': "event_type not in (" ~ segmentation.quoted_list(segmentation.setting('segmentation__event_types')) ~ ")",
             'message': "'event_type not in var segmentation__event_types: ' || event_type"},
        ]) }}
    from typed
),

ranked as (
    select
        row_checked.*,
        row_number() over (
            -- The hash keeps the window's sort keys short on large inputs.
            partition by row_checked.rejection_reason_code is null, {{ dbt.hash('row_checked.raw_values') }}
            order by row_checked.raw_values
        ) as key_occurrence
    from row_checked
),

final as (
    select
        {{ segmentation.contract_column_list('events', 'ranked') }},
        {{ dbt.hash('ranked.raw_values') }} as row_key,
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
                when ranked.key_occurrence > 1 then 'exact duplicate of another event'
                when customers.customer_id is null
                    then 'customer_id not among accepted customers: ' || ranked.customer_id
            end
        ) as rejection_message
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id
)

select * from final
