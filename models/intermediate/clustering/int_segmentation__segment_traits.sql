-- One row per segment of the current fit: size, share, mean, median and
-- z-score (against all clustered customers) of every profiled feature, the
-- three most distinctive traits, and a name and description generated from them.
{%- set features = segmentation.profile_features() %}
{%- set double = segmentation.type_double() %}

with

features as (
    select * from {{ ref('segmentation__customer_features') }}
),

assignments as (
    select
        customer_id,
        segment_id
    from {{ ref('int_segmentation__segment_assignments') }}
    where segment_id is not null
),

trait_labels as (
    select * from {{ segmentation.config_relation('segmentation__segment_trait_labels', 'segment_trait_labels') }}
),

members as (
    select
        assignments.segment_id
        {%- for feature in features %},
        cast(features.{{ feature }} as {{ double }}) as {{ feature }}{% endfor %}
    from assignments
    inner join features
        on assignments.customer_id = features.customer_id
),

population as (
    select
        count(*) as customer_count
        {%- for feature in features %},
        avg({{ feature }}) as {{ feature }}_mean,
        stddev_pop({{ feature }}) as {{ feature }}_std{% endfor %}
    from members
),

segment_stats as (
    select
        segment_id,
        count(*) as customer_count
        {%- for feature in features %},
        avg({{ feature }}) as {{ feature }}_mean,
        {{ segmentation.median(feature) }} as {{ feature }}_median{% endfor %}
    from members
    group by segment_id
),

scored as (
    select
        segment_stats.*,
        {{ segmentation.safe_divide('segment_stats.customer_count', 'population.customer_count') }}
            as customer_share
        {%- for feature in features %},
        {{ segmentation.safe_divide(
            'segment_stats.' ~ feature ~ '_mean - population.' ~ feature ~ '_mean',
            'population.' ~ feature ~ '_std'
        ) }} as {{ feature }}_z{% endfor %}
    from segment_stats
    cross join population
),

traits as (
    {%- for feature in features %}
    select
        segment_id,
        '{{ feature }}' as feature,
        {{ feature }}_z as z_score
    from scored
    {% if not loop.last %}union all{% endif %}{% endfor %}
),

ranked_traits as (
    select
        traits.segment_id,
        traits.feature,
        traits.z_score,
        case when traits.z_score > 0 then trait_labels.high_label else trait_labels.low_label end as trait_label,
        row_number() over (
            partition by traits.segment_id
            order by abs(traits.z_score) desc, traits.feature
        ) as trait_rank
    from traits
    inner join trait_labels
        on traits.feature = trait_labels.feature
    where traits.z_score is not null
),

top_traits as (
    select
        segment_id
        {%- for rank in [1, 2, 3] %},
        max(case when trait_rank = {{ rank }} then trait_label end) as trait_{{ rank }},
        max(case when trait_rank = {{ rank }} then feature end) as trait_{{ rank }}_feature,
        max(case when trait_rank = {{ rank }} then z_score end) as trait_{{ rank }}_z{% endfor %}
    from ranked_traits
    group by segment_id
),

named as (
    select
        top_traits.*,
        upper(substr(top_traits.trait_1, 1, 1)) || substr(top_traits.trait_1, 2)
        || coalesce(' · ' || top_traits.trait_2, '')
        || coalesce(' · ' || top_traits.trait_3, '') as generated_name,
        'Most distinctive: '
        {%- for rank in [1, 2, 3] %}
        || coalesce(
            {{ "'; ' || " if rank > 1 }}top_traits.trait_{{ rank }}_feature || ' '
            || cast(round(top_traits.trait_{{ rank }}_z, 1) as {{ dbt.type_string() }}) || ' sd',
            ''
        )
        {%- endfor %}
        || ' from the average clustered customer.' as generated_description
    from top_traits
),

final as (
    select
        scored.*,
        named.trait_1,
        named.trait_2,
        named.trait_3,
        named.generated_name,
        named.generated_description
    from scored
    left join named
        on scored.segment_id = named.segment_id
)

select * from final
