{#- A select of (customer_id, value, value_share): each customer's most
    frequent non-null `value_expression` in `from_relation` (weighted by
    `weight_expression`), ties broken by the smaller value so the pick is
    deterministic; value_share is its weight over the customer's total. -#}
{% macro most_frequent(from_relation, value_expression, weight_expression='1') %}
    select
        customer_id,
        value,
        {{ segmentation.safe_divide('weight', 'total_weight') }} as value_share
    from (
        select
            customer_id,
            value,
            weight,
            sum(weight) over (partition by customer_id) as total_weight,
            row_number() over (partition by customer_id order by weight desc, value asc) as pick
        from (
            select
                customer_id,
                {{ value_expression }} as value,
                sum({{ weight_expression }}) as weight
            from {{ from_relation }}
            where {{ value_expression }} is not null
            group by customer_id, {{ value_expression }}
        ) as weighted
    ) as ranked
    where pick = 1
{%- endmacro %}
