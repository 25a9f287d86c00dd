-- The shop's clickstream in the shape of the package's events input.

with

clickstream as (
    select * from {{ source('shop', 'clickstream') }}
),

final as (
    select
        client_ref as customer_id,
        event_ts as occurred_at,
        action as event_type,
        visit_id as session_id,
        device_type,
        os,
        browser,
        platform
    from clickstream
)

select * from final
