{#- The body of a base model: every row of an input, typed, with the reason it
    is rejected (null when accepted), in one pass over the input's rows.

    - `key_columns`: null in any of them rejects the row as `null_key`.
    - `extra_checks`: the input's own row checks (see `row_checks`).
    - `duplicates`: {'columns': raw columns whose equal values make rows
      candidates (a subset of the key is enough, and fewer columns cost less
      to hash), 'partition': SQL expressions that make two accepted rows
      duplicates, 'message': SQL}. Among the rows that pass the row checks and
      share a partition, the first by raw values keeps it; the others are
      `duplicate_key`. Only rows whose candidate columns occur more than once
      (a hash aggregate over those columns) are ranked, so the window never
      runs over the whole input.
    - `parent`: {'model', 'column', 'code', 'message', optional 'columns'}: a
      row whose `column` is not among the parent's accepted rows is rejected
      with `code`; the parent's `columns` are carried along (after the
      contract columns), so readers need not join the parent again.
    - `row_key`: SQL over the `<column>_raw` columns naming the row in
      segmentation__rejected_rows.
    `row_key` and `raw_values` are set for rejected rows only: an accepted row
    is read through its typed columns. -#}
{% macro validated_input(input_name, row_key, key_columns=[], extra_checks=[], duplicates=none, parent=none) %}
    {%- set checks = segmentation.row_checks(input_name, key_columns, extra_checks) -%}
    {%- set raw_columns = segmentation.input_contract()[input_name]['columns'] | map(attribute='name') | list -%}
    {%- set parent_columns = parent.get('columns', []) if parent else [] -%}
    {%- set no_parent = parent['column'] ~ ' is not null and parents.parent_key is null' if parent else 'false' -%}
with

{% if parent -%}
parents as (
    select
        {{ parent['column'] }} as parent_key
        {%- for name in parent_columns %},
        {{ name }} as parent_{{ name }}
        {%- endfor %}
    from {{ ref(parent['model']) }}
    where rejection_reason_code is null
),

{% endif -%}
{%- if duplicates -%}
-- Candidate columns seen more than once: the only rows that can be duplicates.
candidate_groups as (
    select {{ segmentation.row_hash(segmentation.raw_text_expressions(input_name, duplicates['columns'])) }} as candidate_hash
    from ({{ segmentation.judged_input(input_name) }}) as source
    group by 1
    having count(*) > 1
),

-- Rows outside every candidate group keep their key.
single_rows as (
    select
        typed.*,
        {{ segmentation.failed_check_case(checks) }} as failed_check,
        1 as key_occurrence
    from ({{ segmentation.typed_input(input_name, join=segmentation.candidate_join(duplicates['columns'], false)) }}) as typed
),

-- Rows of candidate groups (few): the first by raw values keeps the key.
grouped_rows as (
    select
        checked.*,
        row_number() over (
            partition by checked.failed_check is null, {{ duplicates['partition'] | join(', ') }}
            order by {{ segmentation.raw_values(input_name) }}
        ) as key_occurrence
    from (
        select
            typed.*,
            {{ segmentation.failed_check_case(checks) }} as failed_check
        from ({{ segmentation.typed_input(input_name, join=segmentation.candidate_join(duplicates['columns'], true)) }}) as typed
    ) as checked
),

{% endif -%}
checked as (
{%- if duplicates %}
    select * from single_rows
    union all
    select * from grouped_rows
{%- else %}
    select
        typed.*,
        {{ segmentation.failed_check_case(checks) }} as failed_check,
        1 as key_occurrence
    from ({{ segmentation.typed_input(input_name) }}) as typed
{%- endif %}
),

judged as (
    select
        checked.*,
        {%- for name in parent_columns %}
        parents.parent_{{ name }},
        {%- endfor %}
        coalesce(
            {{ segmentation.check_code_case('checked.failed_check', checks) }},
            case
                {%- if duplicates %}
                when checked.key_occurrence > 1 then 'duplicate_key'
                {%- endif %}
                {%- if parent %}
                when {{ no_parent }} then '{{ parent["code"] }}'
                {%- endif %}
            end
        ) as rejection_reason_code
    from checked
    {%- if parent %}
    left join parents
        on checked.{{ parent['column'] }} = parents.parent_key
    {%- endif %}
),

final as (
    select
        {{ segmentation.contract_column_list(input_name) }},
        {%- for name in parent_columns %}
        parent_{{ name }} as {{ name }},
        {%- endfor %}
        case when rejection_reason_code is not null then {{ row_key }} end as row_key,
        case when rejection_reason_code is not null then {{ segmentation.raw_values(input_name) }} end as raw_values,
        rejection_reason_code,
        -- Messages are built for rejected rows only, from the index of the failed
        -- check (its condition is not evaluated twice).
        case when rejection_reason_code is not null then
            case
                when failed_check is not null then
                    case failed_check
                    {%- for check in checks %}
                        when {{ loop.index }} then {{ check['message'] }}
                    {%- endfor %}
                    end
            {%- if duplicates %}
                when key_occurrence > 1 then {{ duplicates['message'] }}
            {%- endif %}
            {%- if parent %}
                else {{ parent['message'] }}
            {%- endif %}
            end
        end as rejection_message,
        -- When and under which settings the verdict was made: incremental
        -- builds re-judge from these (incremental_window).
        {{ segmentation.run_timestamp() }} as judged_at,
        '{{ segmentation.validation_key(input_name) }}' as validation_key
        {%- if segmentation.incremental_window_spec_exists(input_name) %},
        window_day,
        window_loaded,
        window_key
        {%- endif %}
    from judged
)

select * from final
{%- endmacro %}


{#- The CASE that gives the position (1, 2, ...) of the first row check a row
    fails, or null. -#}
{% macro failed_check_case(checks) -%}
    case
    {%- for check in checks %}
        when {{ check['condition'] }} then {{ loop.index }}
    {%- endfor %}
    end
{%- endmacro %}


{#- The reason code of the check at position `failed_check` (null for null). -#}
{% macro check_code_case(failed_check, checks) -%}
    case {{ failed_check }}
    {%- for check in checks %}
        when {{ loop.index }} then '{{ check['code'] }}'
    {%- endfor %}
    end
{%- endmacro %}


{#- `<column>_raw` expressions over an input's source columns, as in raw_text_columns. -#}
{% macro raw_text_expressions(input_name, column_names) %}
    {%- set expressions = [] -%}
    {%- for name in column_names -%}
        {%- do expressions.append("nullif(trim(cast(" ~ name ~ " as " ~ dbt.type_string() ~ ")), '')") -%}
    {%- endfor -%}
    {{ return(expressions) }}
{% endmacro %}


{#- Joins the raw rows to candidate_groups on the hash of `column_names`:
    keeps the rows in a group (`in_group`) or those outside every group. -#}
{% macro candidate_join(column_names, in_group) %}
    {%- set raw = [] -%}
    {%- for name in column_names -%}
        {%- do raw.append('raw_text.' ~ name ~ '_raw') -%}
    {%- endfor -%}
    {%- if in_group -%}
    inner join candidate_groups
        on {{ segmentation.row_hash(raw) }} = candidate_groups.candidate_hash
    {%- else -%}
    left join candidate_groups
        on {{ segmentation.row_hash(raw) }} = candidate_groups.candidate_hash
    where candidate_groups.candidate_hash is null
    {%- endif -%}
{% endmacro %}
