-- The shop's campaign_sends in the shape of the package's marketing_touches input.

with

campaign_sends as (
    select * from {{ source('shop', 'campaign_sends') }}
),

final as (
    select
        client_ref as customer_id,
        campaign_code as campaign_id,
        channel,
        sent_ts as sent_at,
        opened_ts as opened_at,
        clicked_ts as clicked_at,
        converted_ts as converted_at
    from campaign_sends
)

select * from final
