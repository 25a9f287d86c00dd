-- The shop's clients in the shape of the package's customers input.

with

clients as (
    select * from {{ source('shop', 'clients') }}
),

final as (
    select
        client_ref as customer_id,
        mail as email,
        registered_ts as signup_at,
        dob as birth_date,
        gender,
        income,
        education,
        occupation,
        country,
        region,
        city,
        zip as postal_code,
        acquisition_channel
    from clients
)

select * from final
