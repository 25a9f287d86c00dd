-- One row per customer and audience the customer is in now, in the shape
-- warehouse-managed audiences (Hightouch, Census) read: when the customer
-- entered, whether they are held out of campaigns, and whether this is their
-- highest-priority audience (sync only those rows to give each customer one).

with

history as (
    select * from {{ ref('int_segmentation__segment_membership_history') }}
    where is_current
),

audiences as (
    select * from {{ ref('int_segmentation__audience_catalog') }}
),

memberships as (
    select
        history.customer_id,
        history.audience_id,
        history.valid_from as entered_at,
        audiences.priority,
        audiences.holdout_share,
        {{ segmentation.holdout_digest('history.customer_id', 'history.audience_id') }} as holdout_digest
    from history
    inner join audiences
        on history.audience_id = audiences.audience_id
),

ranked as (
    select
        memberships.customer_id,
        memberships.audience_id,
        memberships.entered_at,
        memberships.priority,
        {{ segmentation.hex_fraction('memberships.holdout_digest') }} < memberships.holdout_share as is_holdout,
        row_number() over (
            partition by memberships.customer_id
            order by
                case when memberships.priority is null then 1 else 0 end, memberships.priority, memberships.audience_id
        ) as priority_rank
    from memberships
),

final as (
    select
        -- ids
        {{ dbt.hash("audience_id || '|' || customer_id") }} as audience_membership_id,
        audience_id,
        customer_id,
        -- booleans
        is_holdout,
        priority is not null and priority_rank = 1 as is_priority_audience,
        -- timestamps
        entered_at
    from ranked
)

select * from final
