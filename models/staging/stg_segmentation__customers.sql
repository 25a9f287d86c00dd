-- One row per accepted customer.
with

validated as (
    select * from {{ ref('base_segmentation__customers') }}
    where rejection_reason_code is null
),

final as (
    select
        -- ids
        customer_id,
        -- strings
        email,
        gender,
        education,
        occupation,
        country,
        region,
        city,
        postal_code,
        acquisition_channel,
        -- numbers
        income,
        -- dates
        birth_date,
        signup_at
    from validated
)

select * from final
