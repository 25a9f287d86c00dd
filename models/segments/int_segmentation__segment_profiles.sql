-- One row per segment of the current fit: size, share, mean, median and
-- z-score of every profiled feature, the three most distinctive traits, and
-- the segment's name and description: the seed segment_names' when given,
-- else the name generated when the segment_id first appeared (names stick to
-- segment ids across runs; --full-refresh names them afresh).
{%- set features = segmentation.profile_features() %}

-- Published only when the quality gates pass (docs/decisions/0013).
-- depends_on: {{ ref('int_segmentation__publication_gate') }}

with

traits as (
    select * from {{ ref('int_segmentation__segment_traits') }}
),

sticky_names as (
    select * from {{ ref('int_segmentation__segment_names') }}
),

name_overrides as (
    select * from {{ segmentation.config_relation('segmentation__segment_names', 'segment_names') }}
),

chosen_names as (
    select
        traits.segment_id,
        coalesce(name_overrides.segment_name, sticky_names.segment_name, traits.generated_name) as segment_name,
        name_overrides.segment_name is not null as is_name_overridden
    from traits
    left join sticky_names
        on traits.segment_id = sticky_names.segment_id
    left join name_overrides
        on traits.segment_id = name_overrides.segment_id
),

-- A kept name can meet a new segment's generated name: the generated one
-- takes its id, so names stay unique within the fit. Overrides are kept as given.
unique_names as (
    select
        segment_id,
        case
            when not is_name_overridden and count(*) over (partition by segment_name) > 1
                and (
                    segment_id > min(segment_id) over (partition by segment_name)
                    or max(case when is_name_overridden then 1 else 0 end) over (partition by segment_name) = 1
                )
                then segment_name || ' (segment ' || cast(segment_id as {{ dbt.type_string() }}) || ')'
            else segment_name
        end as segment_name
    from chosen_names
),

final as (
    select
        -- ids
        traits.segment_id,
        -- strings
        unique_names.segment_name,
        coalesce(
            name_overrides.segment_description, sticky_names.segment_description, traits.generated_description
        ) as segment_description,
        traits.trait_1,
        traits.trait_2,
        traits.trait_3,
        -- numbers
        traits.customer_count,
        traits.customer_share
        {%- for feature in features %},
        traits.{{ feature }}_mean,
        traits.{{ feature }}_median,
        traits.{{ feature }}_z
        {%- endfor %},
        -- booleans
        name_overrides.segment_name is not null as is_name_overridden
    from traits
    inner join unique_names
        on traits.segment_id = unique_names.segment_id
    left join sticky_names
        on traits.segment_id = sticky_names.segment_id
    left join name_overrides
        on traits.segment_id = name_overrides.segment_id
)

select * from final
