{#- Everything staging promises about one input, in one query that reads the
    staging model once (plus a key aggregate and a parent probe where asked):
    input rows = accepted rows + rejected rows (no row lost), no accepted row
    lacks a required column of the contract, `key_columns` are unique among
    accepted rows, and every accepted row's `parent_column` is among the
    accepted rows of `parent_model`. One row per broken promise, with counts.
    Apply it to a staging model. -#}
{% test row_reconciliation(model, input_name, key_columns=[], parent_model=none, parent_column=none) %}
{%- set required = segmentation.input_contract()[input_name]['columns'] | selectattr('required') | map(attribute='name') | list %}

with

input_rows as (
    select count(*) as row_count from {{ segmentation.input_relation(input_name) }}
),

accepted_rows as (
    select
        count(*) as row_count,
        sum(case when {% for name in required %}{{ name }} is null{{ ' or ' if not loop.last }}{% endfor %} then 1 else 0 end)
            as missing_required_count
    from {{ model }}
),

rejected_rows as (
    select count(*) as row_count from {{ ref('segmentation__rejected_rows') }}
    where input_name = '{{ input_name }}'
),

duplicate_keys as (
    {%- if key_columns %}
    select count(*) as key_count
    from (
        select {{ key_columns | join(', ') }}
        from {{ model }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    ) as repeated
    {%- else %}
    select 0 as key_count
    {%- endif %}
),

orphans as (
    {%- if parent_model %}
    select count(*) as row_count
    from {{ model }} as child
    where not exists (
        select 1 from {{ parent_model }} as parent
        where parent.{{ parent_column }} = child.{{ parent_column }}
    )
    {%- else %}
    select 0 as row_count
    {%- endif %}
),

counts as (
    select
        input_rows.row_count as input_row_count,
        accepted_rows.row_count as accepted_row_count,
        rejected_rows.row_count as rejected_row_count,
        accepted_rows.missing_required_count,
        duplicate_keys.key_count as duplicate_key_count,
        orphans.row_count as orphan_row_count
    from input_rows
    cross join accepted_rows
    cross join rejected_rows
    cross join duplicate_keys
    cross join orphans
),

final as (
    select
        '{{ input_name }}' as input_name,
        problem,
        counts.*
    from counts
    cross join (
        select 'input rows != accepted + rejected rows' as problem
        union all select 'accepted rows lack a required column'
        union all select 'key not unique among accepted rows'
        union all select 'accepted rows whose parent is not accepted'
    ) as problems
    where (problem = 'input rows != accepted + rejected rows'
            and input_row_count != accepted_row_count + rejected_row_count)
        or (problem = 'accepted rows lack a required column' and missing_required_count > 0)
        or (problem = 'key not unique among accepted rows' and duplicate_key_count > 0)
        or (problem = 'accepted rows whose parent is not accepted' and orphan_row_count > 0)
)

select * from final

{% endtest %}
