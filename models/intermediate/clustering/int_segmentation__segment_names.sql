{{ config(materialized='incremental', unique_key='segment_id') }}
-- One row per segment_id ever fitted: the name and description generated when
-- the id first appeared. Kept while the id lives, so a dashboard or CRM label
-- does not change when trait rankings shift a little between runs.

with

traits as (
    select * from {{ ref('int_segmentation__segment_traits') }}
),

cluster_model as (
    select distinct fit_id from {{ ref('segmentation__cluster_model') }}
),

final as (
    select
        -- ids
        traits.segment_id,
        cluster_model.fit_id as named_in_fit_id,
        -- strings
        traits.generated_name as segment_name,
        traits.generated_description as segment_description
    from traits
    cross join cluster_model
    {% if is_incremental() -%}
    where traits.segment_id not in (select named_before.segment_id from {{ this }} as named_before)
    {%- endif %}
)

select * from final
