-- One row per customer and user-defined audience the customer belongs to,
-- from the rules of the audience definitions seed (audience_conditions macro).
{%- set definitions = segmentation.audience_definitions_relation() %}
{%- set features_relation = ref('int_segmentation__customer_features') %}
{%- set segments_relation = ref('int_segmentation__customer_segments') %}
{%- set segment_columns = ['segment_id', 'segment_name', 'value_tier', 'is_eligible'] %}
{%- set columns = [] %}
{%- if execute %}
    {%- set columns = adapter.get_columns_in_relation(features_relation) %}
    {%- for column in adapter.get_columns_in_relation(segments_relation) if column.name | lower in segment_columns %}
        {%- do columns.append(column) %}
    {%- endfor %}
{%- endif %}
{%- set audiences = segmentation.audience_conditions(definitions, columns) %}

with

features as (
    select * from {{ features_relation }}
),

segments as (
    select * from {{ segments_relation }}
),

-- What a rule may test: every feature and the segment labels.
candidates as (
    select
        features.*,
        {%- for name in segment_columns %}
        segments.{{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from features
    inner join segments
        on features.customer_id = segments.customer_id
),

final as (
    {%- for audience in audiences %}
    select
        -- ids
        candidates.customer_id,
        cast('{{ audience.key }}' as {{ dbt.type_string() }}) as audience_key
    from candidates
    where {{ audience.predicate }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as audience_key
    from segments
    where 1 = 0
    {%- endfor %}
)

select * from final
