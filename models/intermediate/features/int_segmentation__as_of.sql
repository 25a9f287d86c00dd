-- One row: the date every feature is measured at. The var
-- segmentation__as_of_date when set, else the latest accepted order date.
with

orders as (
    select ordered_at from {{ ref('stg_segmentation__orders') }}
),

final as (
    select
        {% if var('segmentation__as_of_date', none) -%}
            cast('{{ var("segmentation__as_of_date") }}' as date)
        {%- else -%}
        max(cast(orders.ordered_at as date))
        {%- endif %} as as_of_date
    from orders
)

select * from final
