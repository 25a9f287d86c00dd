{#- Fails for every row that breaks coverage: an eligible row without a
    segment, an ineligible row with a segment or without a reason, and a key
    that appears more than once (every customer in exactly one row). -#}
{% test segment_coverage(model, column_name, key='customer_id', eligible_column='is_eligible',
                         reason_column='ineligibility_reason') %}

with

keyed as (
    select
        {{ key }} as row_key,
        {{ column_name }} as segment,
        {{ eligible_column }} as is_eligible,
        {{ reason_column }} as reason,
        count(*) over (partition by {{ key }}) as rows_per_key
    from {{ model }}
),

final as (
    select
        row_key,
        segment,
        is_eligible,
        reason,
        case
            when rows_per_key > 1 then 'key in more than one row'
            when is_eligible is null then 'eligibility unknown'
            when is_eligible and segment is null then 'eligible without a segment'
            when not is_eligible and segment is not null then 'ineligible with a segment'
            else 'ineligible without a reason'
        end as failure
    from keyed
    where
        rows_per_key > 1
        or is_eligible is null
        or (is_eligible and segment is null)
        or (not is_eligible and (segment is not null or coalesce(trim(reason), '') = ''))
)

select * from final

{% endtest %}
