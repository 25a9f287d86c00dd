{#- Fails when, for one input, input rows != accepted rows + rejected rows:
    proves that staging lost no row. Apply it to a staging model. -#}
{% test row_reconciliation(model, input_name) %}

with

input_rows as (
    select count(*) as row_count from {{ segmentation.input_relation(input_name) }}
),

accepted_rows as (
    select count(*) as row_count from {{ model }}
),

rejected_rows as (
    select count(*) as row_count from {{ ref('segmentation__rejected_rows') }}
    where input_name = '{{ input_name }}'
),

final as (
    select
        '{{ input_name }}' as input_name,
        input_rows.row_count as input_row_count,
        accepted_rows.row_count as accepted_row_count,
        rejected_rows.row_count as rejected_row_count
    from input_rows
    cross join accepted_rows
    cross join rejected_rows
    where input_rows.row_count != accepted_rows.row_count + rejected_rows.row_count
)

select * from final

{% endtest %}
