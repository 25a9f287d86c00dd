-- One row per segment of the current fit: size, share, mean, median and
-- z-score of every profiled feature, the segment's true traits, and a name
-- and description built from them. A trait is true of a segment against the
-- whole buying population (every customer with an accepted order, clustered
-- or not), both ways:
--   high: z >= trait_min_z and the segment's median sits at or above the
--         trait_min_position mid-rank percentile of the population;
--   low:  z <= -trait_min_z and the median at or below 1 - trait_min_position.
-- A name is the three strongest true traits; names that collide within the fit
-- take up to two more traits, then the segment id. No true trait: 'Typical customers'.
{%- set features = segmentation.profile_features() %}
{%- set double = segmentation.type_double() %}
{%- set min_z = segmentation.setting('segmentation__trait_min_z') %}
{%- set min_position = segmentation.setting('segmentation__trait_min_position') %}
{#- The description: up to three traits as 'feature z sd', separated by '; '. -#}
{%- set described = [] %}
{%- for rank in [1, 2, 3] %}
{%- do described.append(
    "coalesce(" ~ ("'; ' || " if rank > 1 else "") ~ "longer_names.trait_" ~ rank ~ "_feature || ' ' || cast(round("
    ~ "longer_names.trait_" ~ rank ~ "_z, 1) as " ~ dbt.type_string() ~ ") || ' sd', '')"
) %}
{%- endfor %}

with

features as (
    select * from {{ ref('int_segmentation__customer_features') }}
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

buyers as (
    select
        customer_id
        {%- for feature in features %},
        cast({{ feature }} as {{ double }}) as {{ feature }}{% endfor %}
    from features
    where order_count >= 1
),

members as (
    select
        assignments.segment_id,
        buyers.*
    from assignments
    inner join buyers
        on assignments.customer_id = buyers.customer_id
),

-- Means and standard deviations from exact sums (two passes), so two builds of
-- the same data give bit-identical figures (docs/decisions/0015).
population_means as (
    select
        count(*) as customer_count
        {%- for feature in features %},
        {{ segmentation.exact_mean(feature) }} as {{ feature }}_mean{% endfor %}
    from buyers
),

population_spreads as (
    select
        {%- for feature in features %}
        sqrt({{ segmentation.exact_mean(
            '(buyers.' ~ feature ~ ' - population_means.' ~ feature ~ '_mean) * (buyers.'
            ~ feature ~ ' - population_means.' ~ feature ~ '_mean)'
        ) }}) as {{ feature }}_std{% if not loop.last %},{% endif %}{% endfor %}
    from buyers
    cross join population_means
),

population as (
    select
        population_means.*,
        population_spreads.*
    from population_means
    cross join population_spreads
),

clustered as (
    select count(*) as customer_count from members
),

segment_stats as (
    select
        segment_id,
        count(*) as customer_count
        {%- for feature in features %},
        {{ segmentation.exact_mean(feature) }} as {{ feature }}_mean,
        {{ segmentation.median(feature) }} as {{ feature }}_median{% endfor %}
    from members
    group by segment_id
),

-- Where each segment's median sits among all buyers: the mid-rank percentile
-- (ties count half), so a median equal to the population's most common value
-- is not called high or low.
median_positions as (
    select
        segment_stats.segment_id
        {%- for feature in features %},
        {{ segmentation.safe_divide(
            'sum(case when buyers.' ~ feature ~ ' < segment_stats.' ~ feature ~ '_median then 1.0'
            ~ ' when buyers.' ~ feature ~ ' = segment_stats.' ~ feature ~ '_median then 0.5 else 0.0 end)',
            'count(buyers.' ~ feature ~ ')'
        ) }} as {{ feature }}_position{% endfor %}
    from segment_stats
    cross join buyers
    group by segment_stats.segment_id
),

scored as (
    select
        segment_stats.*,
        {{ segmentation.safe_divide('segment_stats.customer_count', 'clustered.customer_count') }}
            as customer_share
        {%- for feature in features %},
        {{ segmentation.safe_divide(
            'segment_stats.' ~ feature ~ '_mean - population.' ~ feature ~ '_mean',
            'population.' ~ feature ~ '_std'
        ) }} as {{ feature }}_z{% endfor %}
    from segment_stats
    cross join population
    cross join clustered
),

traits as (
    {%- for feature in features %}
    select
        scored.segment_id,
        '{{ feature }}' as feature,
        scored.{{ feature }}_z as z_score,
        median_positions.{{ feature }}_position as median_position
    from scored
    inner join median_positions
        on scored.segment_id = median_positions.segment_id
    {% if not loop.last %}union all{% endif %}{% endfor %}
),

true_traits as (
    select
        traits.segment_id,
        traits.feature,
        traits.z_score,
        case when traits.z_score > 0 then trait_labels.high_label else trait_labels.low_label end as trait_label,
        traits.feature || case when traits.z_score > 0 then ':high' else ':low' end as trait_key,
        row_number() over (
            partition by traits.segment_id
            order by abs(traits.z_score) desc, traits.feature
        ) as trait_rank
    from traits
    inner join trait_labels
        on traits.feature = trait_labels.feature
    where
        (traits.z_score >= {{ min_z }} and traits.median_position >= {{ min_position }})
        or (traits.z_score <= -{{ min_z }} and traits.median_position <= {{ 1 - min_position }})
),

top_traits as (
    select
        segment_id,
        {{ dbt.listagg("trait_key", "','", "order by trait_key") }} as true_trait_keys
        {%- for rank in range(1, 6) %},
        max(case when trait_rank = {{ rank }} then trait_label end) as trait_{{ rank }},
        max(case when trait_rank = {{ rank }} then trait_key end) as trait_{{ rank }}_key,
        max(case when trait_rank = {{ rank }} then feature end) as trait_{{ rank }}_feature,
        max(case when trait_rank = {{ rank }} then z_score end) as trait_{{ rank }}_z{% endfor %}
    from true_traits
    group by segment_id
),

first_names as (
    select
        scored.segment_id,
        top_traits.*,
        coalesce(
            upper(substr(top_traits.trait_1, 1, 1)) || substr(top_traits.trait_1, 2)
            || coalesce(' · ' || top_traits.trait_2, '')
            || coalesce(' · ' || top_traits.trait_3, ''),
            'Typical customers'
        ) as short_name
    from scored
    left join top_traits
        on scored.segment_id = top_traits.segment_id
),

short_name_counts as (
    select
        first_names.*,
        count(*) over (partition by first_names.short_name) > 1 as is_short_name_shared
    from first_names
),

longer_names as (
    select
        short_name_counts.*,
        case
            when short_name_counts.is_short_name_shared
                then short_name_counts.short_name
                    || coalesce(' · ' || short_name_counts.trait_4, '')
                    || coalesce(' · ' || short_name_counts.trait_5, '')
            else short_name_counts.short_name
        end as long_name
    from short_name_counts
),

named as (
    select
        longer_names.segment_id,
        longer_names.trait_1,
        longer_names.trait_2,
        longer_names.trait_3,
        ',' || coalesce(longer_names.true_trait_keys, '') || ',' as true_trait_keys,
        case
            when count(*) over (partition by longer_names.long_name) > 1
                then longer_names.long_name || ' (segment '
                    || cast(longer_names.segment_id as {{ dbt.type_string() }}) || ')'
            else longer_names.long_name
        end as generated_name,
        -- The traits the name states, to check later that they still hold.
        {%- for rank in range(1, 6) %}
        {%- set in_name = 'true' if rank <= 3 else 'longer_names.is_short_name_shared' %}
        case when {{ in_name }} then longer_names.trait_{{ rank }}_key end as name_trait_{{ rank }},
        {%- endfor %}
        case
            when longer_names.trait_1 is null
                then 'No trait sets these customers apart from the buying population by the configured margin.'
            else 'Most distinctive against all buying customers: ' || {{ described | join(' || ') }} || '.'
        end as generated_description
    from longer_names
),

final as (
    select
        scored.*,
        named.trait_1,
        named.trait_2,
        named.trait_3,
        named.true_trait_keys,
        named.name_trait_1,
        named.name_trait_2,
        named.name_trait_3,
        named.name_trait_4,
        named.name_trait_5,
        named.generated_name,
        named.generated_description
    from scored
    inner join named
        on scored.segment_id = named.segment_id
)

select * from final
