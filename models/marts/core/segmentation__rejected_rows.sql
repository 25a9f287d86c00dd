-- One row per input row that staging refused, with the reason.
{%- set inputs = [] -%}
{%- for input_name in segmentation.input_contract() if segmentation.is_input_enabled(input_name) -%}
{%- do inputs.append(input_name) -%}
{%- endfor %}

with

unioned as (
    {% for input_name in inputs -%}
    select
        '{{ input_name }}' as input_name,
        '{{ segmentation.input_relation(input_name) }}' as input_relation,
        row_key,
        rejection_reason_code as reason_code,
        rejection_message as reason_message,
        raw_values
    from {{ ref('base_segmentation__' ~ input_name) }}
    where rejection_reason_code is not null
    {% if not loop.last %}
    union all
    {% endif -%}
    {%- endfor %}
),

numbered as (
    -- Identical raw rows are kept apart by their occurrence.
    select
        unioned.*,
        row_number() over (
            partition by unioned.input_name, unioned.raw_values
            order by unioned.reason_code
        ) as occurrence
    from unioned
),

final as (
    select
        -- ids
        {{ dbt.hash(
            "input_name || '#' || raw_values || '#' || cast(occurrence as " ~ dbt.type_string() ~ ")"
        ) }} as rejected_row_id,
        row_key,
        -- strings
        input_name,
        input_relation,
        reason_code,
        reason_message,
        raw_values
    from numbered
)

select * from final
