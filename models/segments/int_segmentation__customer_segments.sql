-- One row per accepted customer with every segment label: the cluster segment
-- and its name, the RFM cell and segment, the lifecycle stage and a value
-- tier. Published as segmentation__customer_segments (version 1), the table
-- dashboards filter on and reverse-ETL tools sync.
{%- set top_share = segmentation.setting('segmentation__value_tier_top_share') %}
{%- set bottom_share = segmentation.setting('segmentation__value_tier_bottom_share') %}
{%- if not (0 < top_share and 0 < bottom_share and top_share + bottom_share <= 1) %}
    {{ exceptions.raise_compiler_error(
        "segmentation: the value tier shares must be positive and add up to at most 1; got "
        ~ "segmentation__value_tier_top_share=" ~ top_share
        ~ " and segmentation__value_tier_bottom_share=" ~ bottom_share ~ ".") }}
{%- endif %}

-- Published only when the quality gates pass (docs/decisions/0013).
-- depends_on: {{ ref('int_segmentation__publication_gate') }}

with

features as (
    select * from {{ ref('int_segmentation__customer_features') }}
),

assignments as (
    select * from {{ ref('int_segmentation__segment_assignments') }}
),

profiles as (
    select * from {{ ref('int_segmentation__segment_profiles') }}
),

-- Share of buying customers who spent at least as much: ties share a tier.
spend_ranks as (
    select
        customer_id,
        cume_dist() over (order by monetary_total desc) as spend_rank_share
    from features
    where monetary_total is not null
),

final as (
    select
        -- ids
        features.customer_id,
        assignments.segment_id,
        assignments.fit_id,
        -- strings
        profiles.segment_name,
        features.rfm_cell,
        features.rfm_segment,
        features.lifecycle_stage,
        case
            when spend_ranks.spend_rank_share is null then null
            when spend_ranks.spend_rank_share <= {{ top_share }} then 'top'
            when spend_ranks.spend_rank_share > {{ 1 - bottom_share }} then 'bottom'
            else 'middle'
        end as value_tier,
        assignments.ineligibility_reason,
        -- booleans
        assignments.is_eligible,
        -- dates and timestamps
        features.as_of_date,
        {{ segmentation.run_timestamp() }} as segmented_at
    from features
    inner join assignments
        on features.customer_id = assignments.customer_id
    left join profiles
        on assignments.segment_id = profiles.segment_id
    left join spend_ranks
        on features.customer_id = spend_ranks.customer_id
)

select * from final
