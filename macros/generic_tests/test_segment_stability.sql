{#- Fails (warns by default) when more than max_changed_share of the keys
    present in both runs changed their value of the column since the previous
    run. The previous run is `previous` (any relation with the key and the
    column), or by default the copy the model keeps of itself before each
    rebuild (macro keep_previous_run). No previous run: passes. -#}
{% test segment_stability(model, column_name, key='customer_id', max_changed_share=0.03, previous=none) %}
{{ config(severity='warn') }}

{%- set previous_relation = previous if previous is not none else segmentation.previous_run_relation(model) %}

{%- if previous_relation is none %}
select 1 as no_previous_run where 1 = 0
{%- else %}

with

current_run as (
    select {{ key }} as row_key, {{ column_name }} as label from {{ model }}
),

previous_run as (
    select {{ key }} as row_key, {{ column_name }} as label from {{ previous_relation }}
),

compared as (
    select
        count(*) as customers_in_both_runs,
        sum(case when current_run.label is distinct from previous_run.label then 1 else 0 end) as changed_customers
    from current_run
    inner join previous_run
        on current_run.row_key = previous_run.row_key
),

final as (
    select
        customers_in_both_runs,
        changed_customers,
        changed_customers * 1.0 / customers_in_both_runs as changed_share,
        {{ max_changed_share }} as max_changed_share
    from compared
    where customers_in_both_runs > 0
        and changed_customers * 1.0 / customers_in_both_runs > {{ max_changed_share }}
)

select * from final
{%- endif %}

{% endtest %}
