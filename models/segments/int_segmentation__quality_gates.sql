-- One row per quality gate and segment of the current fit, checked on the
-- assignments before anything is published: each segment's share of the
-- clustered customers within [segment_min_share, segment_max_share] and its
-- size at least segment_min_customers. A failed row carries a message naming
-- the segment, the figure, the bound and the var to change.
{#- (var, its default, the measure it bounds, the comparison that passes, the breach in words);
    the gate is named after its var. -#}
{%- set bounds = [
    ('segmentation__segment_min_share', 0.02, 'customer_share', '>=', 'below the minimum'),
    ('segmentation__segment_max_share', 0.8, 'customer_share', '<=', 'above the maximum'),
    ('segmentation__segment_min_customers', 10, 'customer_count', '>=', 'below the minimum'),
] %}
{%- set text = dbt.type_string() %}

with

assignments as (
    select * from {{ ref('int_segmentation__segment_assignments') }}
),

traits as (
    select * from {{ ref('int_segmentation__segment_traits') }}
),

cluster_model as (
    select
        max(fit_id) as fit_id,
        max(k_selection) as k_selection
    from {{ ref('segmentation__cluster_model') }}
),

sizes as (
    select
        segment_id,
        count(*) as customer_count
    from assignments
    where segment_id is not null
    group by segment_id
),

segments as (
    select
        sizes.segment_id,
        traits.generated_name as segment_name,
        cast(sizes.customer_count as {{ segmentation.type_double() }}) as customer_count,
        {{ segmentation.safe_divide('sizes.customer_count', 'sum(sizes.customer_count) over ()') }}
            as customer_share
    from sizes
    left join traits
        on sizes.segment_id = traits.segment_id
),

checks as (
    {%- for var_name, default, measure, operator, breach in bounds %}
    {%- set bound = segmentation.setting(var_name) %}
    select
        '{{ var_name | replace("segmentation__", "") }}' as gate_name,
        segment_id,
        segment_name,
        '{{ measure }}' as measure,
        {{ measure }} as observed_value,
        cast({{ bound }} as {{ segmentation.type_double() }}) as bound_value,
        '{{ var_name }}' as bound_var,
        {{ measure }} {{ operator }} {{ bound }} as is_passed,
        '{{ breach }}' as breach
    from segments
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- The figures and bounds in words, and where to change k.
worded as (
    select
        checks.*,
        cluster_model.fit_id,
        cluster_model.k_selection,
        case
            when checks.measure = 'customer_share'
                then cast(round(100 * checks.observed_value, 1) as {{ text }}) || '% of clustered customers'
            else cast(cast(checks.observed_value as {{ dbt.type_bigint() }}) as {{ text }}) || ' customers'
        end as observed_text,
        case
            when checks.measure = 'customer_share'
                then cast(round(100 * checks.bound_value, 1) as {{ text }}) || '%'
            else cast(cast(checks.bound_value as {{ dbt.type_bigint() }}) as {{ text }})
        end as bound_text,
        case
            when cluster_model.k_selection = 'fixed' then ' or the fixed k (segmentation__cluster_k)'
            else ' or the k range (segmentation__cluster_k_min, segmentation__cluster_k_max)'
        end as k_hint
    from checks
    cross join cluster_model
),

final as (
    select
        -- ids
        gate_name || ':' || cast(segment_id as {{ text }}) as gate_check_id,
        gate_name,
        segment_id,
        fit_id,
        -- strings
        segment_name,
        k_selection,
        bound_var,
        case
            when not is_passed
                then 'segment ' || cast(segment_id as {{ text }}) || ' (' || coalesce(segment_name, 'unnamed')
                    || ') holds ' || observed_text || ', ' || breach || ' of ' || bound_text
                    || '; change the var ' || bound_var || k_hint
        end as message,
        -- numbers
        observed_value,
        bound_value,
        -- booleans
        is_passed,
        -- timestamps
        {{ segmentation.run_timestamp() }} as checked_at
    from worded
)

select * from final
