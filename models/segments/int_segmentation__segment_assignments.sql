-- One row per accepted customer: the nearest centroid of the current fit of
-- segmentation__cluster_model, its distance and the margin to the second
-- nearest, or no segment and the reason. The transform and the centroids are
-- read from the model table, so changing the features needs no SQL edits.
-- Ties go to the smaller segment_id.
{%- set fit = segmentation.cluster_fit(ref('segmentation__cluster_model')) %}
{%- set double = segmentation.type_double() %}

with

features as (
    select * from {{ ref('int_segmentation__customer_features') }}
),

centroids as (
    {%- for centroid in fit['centroids'] %}
    select
        {{ centroid['segment_id'] }} as segment_id
        {%- for coordinate in centroid['coordinates'] %},
        cast({{ coordinate }} as {{ double }}) as dim_{{ loop.index0 }}
        {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_int() }}) as segment_id
    {%- endfor %}
),

transformed as (
    select
        features.customer_id,
        features.order_count,
        features.order_count >= {{ fit['eligibility_min_orders'] }} as is_eligible
        {%- for entry in fit['spec'] %},
        {{ segmentation.cluster_dimension(entry, 'features') }} as dim_{{ loop.index0 }}
        {%- endfor %}
    from features
),

distances as (
    select
        transformed.customer_id,
        centroids.segment_id,
        {% for entry in fit['spec'] -%}
            (transformed.dim_{{ loop.index0 }} - centroids.dim_{{ loop.index0 }})
            * (transformed.dim_{{ loop.index0 }} - centroids.dim_{{ loop.index0 }})
            {%- if not loop.last %} + {% endif %}
        {% else -%}
            cast(null as {{ double }})
        {%- endfor %} as squared_distance
    from transformed
    cross join centroids
    where transformed.is_eligible and centroids.segment_id is not null
),

ranked as (
    select
        distances.*,
        row_number() over (
            partition by distances.customer_id
            order by distances.squared_distance, distances.segment_id
        ) as nearness
    from distances
),

final as (
    select
        -- ids
        transformed.customer_id,
        nearest.segment_id,
        {{ "'" ~ fit['fit_id'] ~ "'" if fit['fit_id'] else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as fit_id,
        -- strings
        case
            when transformed.is_eligible then null
            when transformed.order_count = 0 then 'no accepted orders'
            else 'fewer than {{ fit["eligibility_min_orders"] }} accepted orders'
        end as ineligibility_reason,
        -- numbers
        sqrt(nearest.squared_distance) as distance_to_centroid,
        sqrt(second_nearest.squared_distance) - sqrt(nearest.squared_distance) as margin_to_next_centroid,
        -- booleans
        transformed.is_eligible
    from transformed
    left join ranked as nearest
        on transformed.customer_id = nearest.customer_id and nearest.nearness = 1
    left join ranked as second_nearest
        on transformed.customer_id = second_nearest.customer_id and second_nearest.nearness = 2
)

select * from final
