-- One row per accepted customer: demographic and geographic features.
with

customers as (
    select * from {{ ref('stg_segmentation__customers') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

measured as (
    select
        customers.customer_id,
        customers.gender,
        customers.education,
        customers.occupation,
        customers.country,
        customers.region,
        customers.city,
        customers.income,
        cast(
            {{ segmentation.whole_years_between('customers.birth_date', 'as_of.as_of_date') }} as integer
        ) as age_years,
        {{ segmentation.days_between('cast(customers.signup_at as date)', 'as_of.as_of_date') }} as tenure_days
    from customers
    cross join as_of
),

final as (
    select
        -- ids
        customer_id,
        -- strings
        {{ segmentation.band_label('age_years', segmentation.setting('segmentation__age_band_edges')) }} as age_band,
        gender,
        {{ segmentation.band_label('income', segmentation.setting('segmentation__income_band_edges')) }} as income_band,
        education,
        occupation,
        country,
        region,
        city,
        -- numbers
        age_years,
        income,
        tenure_days
    from measured
)

select * from final
