-- One row per customer sent a marketing message on or before the as-of date:
-- the campaign response features of int_segmentation__behaviour, from
-- int_segmentation__touches_as_of.
{%- set double = segmentation.type_double() %}

with

touches as (
    select
        touches_as_of.customer_id,
        touches_as_of.opened_at,
        touches_as_of.clicked_at,
        touches_as_of.converted_at
    from {{ ref('int_segmentation__touches_as_of') }} as touches_as_of
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
