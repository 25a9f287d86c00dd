{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- One row per customer sent a marketing message on or before the as-of date:
-- the campaign response features of int_segmentation__behaviour, from one read
-- of the marketing_touches input.
{%- set double = segmentation.type_double() %}

with

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

touches as (
    select
        stg_touches.customer_id,
        stg_touches.opened_at,
        stg_touches.clicked_at,
        stg_touches.converted_at
    from {{ ref('stg_segmentation__marketing_touches') }} as stg_touches
    cross join as_of
    where cast(stg_touches.sent_at as date) <= as_of.as_of_date
),

final as (
    select
        -- ids
        touches.customer_id,
        -- numbers
        count(*) as touches_received,
        cast(avg(case when touches.opened_at is not null then 1.0 else 0.0 end) as {{ double }}) as open_rate,
        cast(avg(case when touches.clicked_at is not null then 1.0 else 0.0 end) as {{ double }}) as click_rate,
        cast(
            avg(case when touches.converted_at is not null then 1.0 else 0.0 end) as {{ double }}
        ) as campaign_conversion_rate
    from touches
    group by touches.customer_id
)

select * from final
