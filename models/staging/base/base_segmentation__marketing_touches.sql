{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- Every marketing_touches input row, typed, with the reason it is rejected (null when accepted).
-- A touch is keyed by customer, campaign, channel and send time.
with

customers as (
    select customer_id from {{ ref('base_segmentation__customers') }}
    where rejection_reason_code is null
),

typed as (
    {{ segmentation.typed_input('marketing_touches') }}
),

row_checked as (
    select
        typed.*,
        {{ segmentation.rejection_reason('marketing_touches') }}
    from typed
),

ranked as (
    select
        row_checked.*,
        row_number() over (
            partition by
                row_checked.rejection_reason_code is null,
                row_checked.customer_id,
                row_checked.campaign_id,
                row_checked.channel,
                row_checked.sent_at
            order by row_checked.raw_values
        ) as key_occurrence
    from row_checked
),

final as (
    select
        {{ segmentation.contract_column_list('marketing_touches', 'ranked') }},
        ranked.customer_id_raw || ':' || ranked.campaign_id_raw || ':'
        || coalesce(ranked.channel_raw, '') || ':' || ranked.sent_at_raw as row_key,
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
                when ranked.key_occurrence > 1 then 'duplicate touch (customer_id, campaign_id, channel, sent_at)'
                when customers.customer_id is null
                    then 'customer_id not among accepted customers: ' || ranked.customer_id
            end
        ) as rejection_message
    from ranked
    left join customers
        on ranked.customer_id = customers.customer_id
)

select * from final
