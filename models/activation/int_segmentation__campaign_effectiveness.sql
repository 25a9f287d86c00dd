{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- One row per audience and campaign that reached it: how many members were
-- sent the campaign and opened, clicked and converted, and the lift of that
-- treated group over the audience's holdout. Both groups are judged on one
-- outcome in one window: an accepted order between the campaign's first send
-- and `segmentation__campaign_outcome_days` after its last. Groups use the
-- current memberships (int_segmentation__audience_memberships).
--
-- Treated members are sent pairs, so they are counted pair by pair. Held-out
-- members are not crossed with every campaign: the holdout of an audience for
-- a campaign is all its held-out members less those sent the campaign, and
-- its ordered count is all held-out members with an order in the window less
-- the sent ones who ordered. Held-out members with an order in a window are
-- counted per audience without pairing them with campaigns: time is cut at
-- every window's start and end into buckets, so that each window is a run of
-- whole buckets, and members are summed per audience and pair of consecutive
-- buckets they ordered in (see customer_order_gaps), then matched to windows.
{%- set outcome_days = segmentation.setting('segmentation__campaign_outcome_days') %}

with

memberships as (
    select * from {{ ref('int_segmentation__audience_memberships') }}
),

audiences as (
    select * from {{ ref('int_segmentation__audiences') }}
),

touches as (
    select * from {{ ref('stg_segmentation__marketing_touches') }}
),

orders as (
    select * from {{ ref('stg_segmentation__orders') }}
),

campaigns as (
    select
        campaign_id,
        min(sent_at) as started_at,
        max(sent_at) as last_sent_at,
        {{ dbt.dateadd('day', outcome_days, 'max(sent_at)') }} as outcome_ends_at
    from touches
    group by campaign_id
),

-- One row per campaign and customer it was sent to.
recipients as (
    select
        campaign_id,
        customer_id,
        max(case when opened_at is not null then 1 else 0 end) as opened,
        max(case when clicked_at is not null then 1 else 0 end) as clicked,
        max(case when converted_at is not null then 1 else 0 end) as converted
    from touches
    group by campaign_id, customer_id
),

-- Every window start and end cuts time; bucket n runs from the n-th cut
-- (inclusive) to the next (exclusive). Time before the first cut or from the
-- last on is in no window and has no bucket.
window_cuts as (
    select started_at as cut_at from campaigns
    union
    select outcome_ends_at as cut_at from campaigns
),

buckets as (
    select
        cut_at as starts_at,
        lead(cut_at) over (order by cut_at) as ends_at,
        row_number() over (order by cut_at) as bucket_number
    from window_cuts
    where cut_at is not null
),

-- A campaign's outcome window is buckets first_bucket to end_bucket - 1.
campaign_windows as (
    select
        campaigns.campaign_id,
        window_starts.bucket_number as first_bucket,
        window_ends.bucket_number as end_bucket
    from campaigns
    inner join buckets as window_starts
        on campaigns.started_at = window_starts.starts_at
    inner join buckets as window_ends
        on campaigns.outcome_ends_at = window_ends.starts_at
),

-- One row per customer and bucket with an accepted order in it.
customer_order_buckets as (
    select distinct
        orders.customer_id,
        buckets.bucket_number
    from orders
    inner join buckets
        on orders.ordered_at >= buckets.starts_at
            and orders.ordered_at < buckets.ends_at
),

-- Each bucket a customer ordered in, with the one before it they ordered in
-- (0 for the first). For a window whose first bucket f has
-- previous_bucket < f <= bucket_number, bucket_number is the customer's first
-- ordered bucket from f on, so the customer has an order in the window when
-- bucket_number < end_bucket; at most one row of a customer has that f.
customer_order_gaps as (
    select
        customer_id,
        bucket_number,
        coalesce(
            lag(bucket_number) over (partition by customer_id order by bucket_number), 0
        ) as previous_bucket
    from customer_order_buckets
),

-- Members sent the campaign, held out or not, and whether they ordered in
-- its window.
sent_members as (
    select
        memberships.audience_id,
        recipients.campaign_id,
        memberships.customer_id,
        memberships.is_holdout,
        recipients.opened,
        recipients.clicked,
        recipients.converted,
        case when customer_order_gaps.customer_id is null then 0 else 1 end as ordered
    from memberships
    inner join recipients
        on memberships.customer_id = recipients.customer_id
    left join campaign_windows
        on recipients.campaign_id = campaign_windows.campaign_id
    left join customer_order_gaps
        on recipients.customer_id = customer_order_gaps.customer_id
            and campaign_windows.first_bucket > customer_order_gaps.previous_bucket
            and campaign_windows.first_bucket <= customer_order_gaps.bucket_number
            and campaign_windows.end_bucket > customer_order_gaps.bucket_number
),

sent_counts as (
    select
        audience_id,
        campaign_id,
        sum(case when not is_holdout then 1 else 0 end) as treated_customers,
        sum(case when not is_holdout then opened else 0 end) as opened_customers,
        sum(case when not is_holdout then clicked else 0 end) as clicked_customers,
        sum(case when not is_holdout then converted else 0 end) as converted_customers,
        sum(case when not is_holdout then ordered else 0 end) as treated_ordered_customers,
        sum(case when is_holdout then 1 else 0 end) as holdout_sent_customers,
        sum(case when is_holdout then ordered else 0 end) as holdout_sent_ordered_customers
    from sent_members
    group by audience_id, campaign_id
),

-- Held-out members per audience, sent or not.
holdout_members as (
    select
        audience_id,
        count(*) as holdout_members
    from memberships
    where is_holdout
    group by audience_id
),

-- Held-out members per audience and pair of consecutive ordered buckets.
holdout_order_gaps as (
    select
        memberships.audience_id,
        customer_order_gaps.previous_bucket,
        customer_order_gaps.bucket_number,
        count(*) as members
    from memberships
    inner join customer_order_gaps
        on memberships.customer_id = customer_order_gaps.customer_id
    where memberships.is_holdout
    group by memberships.audience_id, customer_order_gaps.previous_bucket, customer_order_gaps.bucket_number
),

-- Held-out members per audience and campaign with an order in its window,
-- sent or not.
holdout_ordered as (
    select
        holdout_order_gaps.audience_id,
        campaign_windows.campaign_id,
        sum(holdout_order_gaps.members) as holdout_ordered_members
    from holdout_order_gaps
    inner join campaign_windows
        on holdout_order_gaps.previous_bucket < campaign_windows.first_bucket
            and holdout_order_gaps.bucket_number >= campaign_windows.first_bucket
            and holdout_order_gaps.bucket_number < campaign_windows.end_bucket
    group by holdout_order_gaps.audience_id, campaign_windows.campaign_id
),

-- Treated = sent and not held out; holdout = held out and not sent.
counts as (
    select
        sent_counts.audience_id,
        sent_counts.campaign_id,
        sent_counts.treated_customers,
        sent_counts.opened_customers,
        sent_counts.clicked_customers,
        sent_counts.converted_customers,
        sent_counts.treated_ordered_customers,
        coalesce(holdout_members.holdout_members, 0)
        - sent_counts.holdout_sent_customers as holdout_customers,
        coalesce(holdout_ordered.holdout_ordered_members, 0)
        - sent_counts.holdout_sent_ordered_customers as holdout_ordered_customers,
        sent_counts.holdout_sent_customers
    from sent_counts
    left join holdout_members
        on sent_counts.audience_id = holdout_members.audience_id
    left join holdout_ordered
        on sent_counts.audience_id = holdout_ordered.audience_id
            and sent_counts.campaign_id = holdout_ordered.campaign_id
),

rates as (
    select
        counts.*,
        {{ segmentation.safe_divide('treated_ordered_customers', 'treated_customers') }} as treated_order_rate,
        {{ segmentation.safe_divide('holdout_ordered_customers', 'holdout_customers') }} as holdout_order_rate
    from counts
    where counts.treated_customers > 0
),

final as (
    select
        -- ids
        {{ dbt.hash("rates.audience_id || '|' || rates.campaign_id") }} as campaign_effectiveness_id,
        rates.audience_id,
        rates.campaign_id,
        -- strings
        audiences.audience_kind,
        audiences.audience_name,
        -- numbers
        cast(rates.treated_customers as {{ dbt.type_bigint() }}) as treated_customers,
        cast(rates.opened_customers as {{ dbt.type_bigint() }}) as opened_customers,
        cast(rates.clicked_customers as {{ dbt.type_bigint() }}) as clicked_customers,
        cast(rates.converted_customers as {{ dbt.type_bigint() }}) as converted_customers,
        {{ segmentation.safe_divide('rates.opened_customers', 'rates.treated_customers') }} as open_rate,
        {{ segmentation.safe_divide('rates.clicked_customers', 'rates.treated_customers') }} as click_rate,
        {{ segmentation.safe_divide('rates.converted_customers', 'rates.treated_customers') }} as conversion_rate,
        cast(rates.treated_ordered_customers as {{ dbt.type_bigint() }}) as treated_ordered_customers,
        rates.treated_order_rate,
        cast(rates.holdout_customers as {{ dbt.type_bigint() }}) as holdout_customers,
        cast(rates.holdout_ordered_customers as {{ dbt.type_bigint() }}) as holdout_ordered_customers,
        rates.holdout_order_rate,
        cast(rates.holdout_sent_customers as {{ dbt.type_bigint() }}) as holdout_sent_customers,
        rates.treated_order_rate - rates.holdout_order_rate as order_rate_lift,
        rates.treated_order_rate / nullif(rates.holdout_order_rate, 0) - 1 as relative_order_rate_lift,
        -- timestamps
        campaigns.started_at as campaign_started_at,
        campaigns.last_sent_at as campaign_last_sent_at,
        campaigns.outcome_ends_at
    from rates
    inner join campaigns
        on rates.campaign_id = campaigns.campaign_id
    inner join audiences
        on rates.audience_id = audiences.audience_id
)

select * from final
