-- One row per customer and label slot as of this build, in the long shape the
-- membership snapshot keeps: the cluster segment, the RFM segment, the
-- lifecycle stage (one label each), the built-in predicted-value audiences and
-- every user-defined audience the customer is in (a slot each). A missing label
-- is no row.

with

segments as (
    select * from {{ ref('int_segmentation__customer_segments') }}
),

custom_audiences as (
    select * from {{ ref('int_segmentation__custom_audience_members') }}
),

customer_value as (
    select * from {{ ref('int_segmentation__customer_value') }}
),

labels as (
    select
        customer_id,
        'cluster_segment' as label_kind,
        'cluster_segment' as label_slot,
        cast(segment_id as {{ dbt.type_string() }}) as label
    from segments
    where segment_id is not null

    union all

    select
        customer_id,
        'rfm_segment' as label_kind,
        'rfm_segment' as label_slot,
        rfm_segment as label
    from segments
    where rfm_segment is not null

    union all

    select
        customer_id,
        'lifecycle_stage' as label_kind,
        'lifecycle_stage' as label_slot,
        lifecycle_stage as label
    from segments
    where lifecycle_stage is not null

    union all

    select
        customer_id,
        'predicted_value' as label_kind,
        'predicted_value:high_value_at_risk' as label_slot,
        'high_value_at_risk' as label
    from customer_value
    where is_high_value_at_risk

    union all

    select
        customer_id,
        'predicted_value' as label_kind,
        'predicted_value:likely_to_buy_soon' as label_slot,
        'likely_to_buy_soon' as label
    from customer_value
    where is_likely_to_buy_soon

    union all

    select
        customer_id,
        'audience' as label_kind,
        'audience:' || audience_key as label_slot,
        audience_key as label
    from custom_audiences
),

final as (
    select
        -- ids
        {{ dbt.hash("label_slot || '|' || customer_id") }} as membership_key,
        customer_id,
        -- strings
        cast(label_kind as {{ dbt.type_string() }}) as label_kind,
        cast(label_slot as {{ dbt.type_string() }}) as label_slot,
        label,
        -- timestamps
        {{ segmentation.run_timestamp() }} as labelled_at
    from labels
)

select * from final
