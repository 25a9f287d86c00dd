-- The current labels of every labelled customer, one row each, for a sync
-- that reads the whole state rather than the changes (segmentation__sync_changes).

with

memberships as (
    select * from {{ ref('int_segmentation__audience_memberships') }}
),

history as (
    select * from {{ ref('int_segmentation__segment_membership_history') }}
    where is_current
),

changes as (
    select
        customer_id,
        max(changed_at) as labels_changed_at
    from {{ ref('int_segmentation__sync_changes') }}
    group by customer_id
),

labels as (
    select
        customer_id,
        max(case when label_kind = 'cluster_segment' then cast(label as {{ dbt.type_int() }}) end) as segment_id,
        max(case when label_kind = 'cluster_segment' then label_name end) as segment_name,
        max(case when label_kind = 'rfm_segment' then label end) as rfm_segment,
        max(case when label_kind = 'lifecycle_stage' then label end) as lifecycle_stage
    from history
    group by customer_id
),

-- A user-defined audience's label is its audience_key.
user_defined as (
    select
        customer_id,
        {{ dbt.listagg("label", "','", "order by label") }} as user_audiences
    from history
    where label_kind = 'audience'
    group by customer_id
),

priority as (
    select
        customer_id,
        audience_id,
        is_holdout
    from memberships
    where is_priority_audience
),

final as (
    select
        -- ids
        labels.customer_id,
        labels.segment_id,
        priority.audience_id as priority_audience_id,
        -- strings
        labels.segment_name,
        labels.rfm_segment,
        labels.lifecycle_stage,
        user_defined.user_audiences,
        -- booleans
        coalesce(priority.is_holdout, false) as is_priority_audience_holdout,
        -- timestamps
        changes.labels_changed_at
    from labels
    inner join changes
        on labels.customer_id = changes.customer_id
    left join user_defined
        on labels.customer_id = user_defined.customer_id
    left join priority
        on labels.customer_id = priority.customer_id
)

select * from final
