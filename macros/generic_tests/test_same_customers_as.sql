{#- Fails with one row per customer_id that is in `model` but not in
    `compare_model`, or the other way round: proves a per-customer model
    covers exactly the customers it should (pair it with a unique test). -#}
{% test same_customers_as(model, compare_model, column_name='customer_id') %}

with

model_customers as (
    select distinct {{ column_name }} as customer_id from {{ model }}
),

expected_customers as (
    select distinct {{ column_name }} as customer_id from {{ compare_model }}
),

final as (
    select
        coalesce(model_customers.customer_id, expected_customers.customer_id) as customer_id,
        case
            when expected_customers.customer_id is null then 'unexpected'
            else 'missing'
        end as problem
    from model_customers
    full outer join expected_customers
        on model_customers.customer_id = expected_customers.customer_id
    where model_customers.customer_id is null or expected_customers.customer_id is null
)

select * from final

{% endtest %}
