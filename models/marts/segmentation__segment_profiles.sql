-- One row per segment of the current fit: size, share, mean, median and
-- z-score of every profiled feature, the three most distinctive traits, and
-- the segment's name and description: the seed segment_names' when given,
-- else the name generated when the segment_id first appeared (names stick to
-- segment ids across runs; --full-refresh names them afresh).
{%- set features = segmentation.profile_features() %}

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

final as (
    select
        -- ids
        traits.segment_id,
        -- strings
        coalesce(name_overrides.segment_name, sticky_names.segment_name, traits.generated_name) as segment_name,
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
    left join sticky_names
        on traits.segment_id = sticky_names.segment_id
    left join name_overrides
        on traits.segment_id = name_overrides.segment_id
)

select * from final
