-- One row per audience: every cluster segment, RFM segment and lifecycle
-- stage a customer has held, and every user-defined audience of the
-- definitions seed, with its priority, holdout share and current size.

with

audiences as (
    select * from {{ ref('int_segmentation__audience_catalog') }}
),

memberships as (
    select * from {{ ref('int_segmentation__audience_memberships') }}
),

sizes as (
    select
        audience_id,
        count(*) as member_count,
        sum(case when is_holdout then 1 else 0 end) as holdout_count,
        sum(case when is_priority_audience then 1 else 0 end) as priority_member_count
    from memberships
    group by audience_id
),

final as (
    select
        -- ids
        audiences.audience_id,
        -- strings
        audiences.label_kind as audience_kind,
        audiences.label,
        audiences.audience_name,
        audiences.audience_description,
        -- numbers
        audiences.priority,
        audiences.holdout_share,
        cast(coalesce(sizes.member_count, 0) as {{ dbt.type_bigint() }}) as member_count,
        cast(coalesce(sizes.holdout_count, 0) as {{ dbt.type_bigint() }}) as holdout_count,
        cast(coalesce(sizes.priority_member_count, 0) as {{ dbt.type_bigint() }}) as priority_member_count,
        -- booleans
        audiences.is_user_defined,
        coalesce(sizes.member_count, 0) > 0 as has_members
    from audiences
    left join sizes
        on audiences.audience_id = sizes.audience_id
)

select * from final
