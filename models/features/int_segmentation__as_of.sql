-- One row: the date every feature is measured at. The var
-- segmentation__as_of_date when set, else the latest accepted order date.
-- With no accepted order on or before that date there is nothing to segment:
-- the build stops here with the counts, instead of publishing empty segments
-- that a sync would turn into emptied CRM audiences.
{%- set as_of_date = segmentation.setting('segmentation__as_of_date') %}
{%- set as_of_literal = 'cast(' ~ segmentation.sql_literal(as_of_date) ~ ' as date)' %}
{%- set accepted_orders = ref('stg_segmentation__orders') %}
{%- set read_from = {
    'customers': ref('base_segmentation__customers'),
    'orders': ref('base_segmentation__orders'),
} %}
{%- set check_args = [accepted_orders, read_from, as_of_date, as_of_literal] %}
{%- if execute %}{% do segmentation.require_accepted_orders(*check_args) %}{% endif %}

{% if as_of_date is not none -%}
select {{ as_of_literal }} as as_of_date
{%- else -%}
with

orders as (
    select ordered_at from {{ accepted_orders }}
),

final as (
    select max(cast(orders.ordered_at as date)) as as_of_date
    from orders
)

select * from final
{%- endif %}
