-- One row per stretch of time a customer held a label: the cluster segment,
-- the RFM segment, the lifecycle stage or a user-defined audience. Built from
-- the membership snapshot; a build that changes nothing adds no row.

with

snapshot as (
    select * from {{ ref('segmentation__customer_labels_snapshot') }}
),

audiences as (
    select * from {{ ref('int_segmentation__audience_catalog') }}
),

final as (
    select
        -- ids
        snapshot.dbt_scd_id as membership_history_id,
        snapshot.customer_id,
        audiences.audience_id,
        -- strings
        snapshot.label_kind,
        snapshot.label,
        audiences.audience_name as label_name,
        -- booleans
        snapshot.dbt_valid_to is null as is_current,
        -- timestamps
        snapshot.dbt_valid_from as valid_from,
        snapshot.dbt_valid_to as valid_to
    from snapshot
    inner join audiences
        on snapshot.label_kind = audiences.label_kind
            and snapshot.label = audiences.label
    where snapshot.label is not null
)

select * from final
