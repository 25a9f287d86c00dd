{{ config(enabled=segmentation.setting('segmentation__using_marketing_touches')) }}
-- One row per audience and campaign that reached it: how many members were
-- sent the campaign and opened, clicked and converted, and the lift of that
-- treated group over the audience's holdout. Both groups are judged on one
-- outcome in one window: an accepted order between the campaign's first send
-- and `segmentation__campaign_outcome_days` after its last. Groups use the
-- current memberships (segmentation__audience_memberships).
{%- set outcome_days = segmentation.setting('segmentation__campaign_outcome_days') %}

with

memberships as (
    select * from {{ ref('segmentation__audience_memberships') }}
),

audiences as (
    select * from {{ ref('segmentation__audiences') }}
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

-- Members sent the campaign (treated), and held-out members, sent or not.
groups as (
    select
        memberships.audience_id,
        recipients.campaign_id,
        memberships.customer_id,
        memberships.is_holdout,
        1 as was_sent,
        recipients.opened,
        recipients.clicked,
        recipients.converted
    from memberships
    inner join recipients
        on memberships.customer_id = recipients.customer_id

    union all

    select
        memberships.audience_id,
        campaigns.campaign_id,
        memberships.customer_id,
        memberships.is_holdout,
        0 as was_sent,
        0 as opened,
        0 as clicked,
        0 as converted
    from memberships
    cross join campaigns
    left join recipients
        on memberships.customer_id = recipients.customer_id
            and campaigns.campaign_id = recipients.campaign_id
    where memberships.is_holdout
        and recipients.customer_id is null
),

-- Campaign and customer pairs with an accepted order in the outcome window.
ordered_pairs as (
    select distinct
        pairs.campaign_id,
        pairs.customer_id
    from (
        select distinct
            campaign_id,
            customer_id
        from groups
    ) as pairs
    inner join campaigns
        on pairs.campaign_id = campaigns.campaign_id
    inner join orders
        on pairs.customer_id = orders.customer_id
            and campaigns.started_at <= orders.ordered_at
            and campaigns.outcome_ends_at > orders.ordered_at
),

outcomes as (
    select
        groups.*,
        case when ordered_pairs.customer_id is null then 0 else 1 end as ordered
    from groups
    left join ordered_pairs
        on groups.campaign_id = ordered_pairs.campaign_id
            and groups.customer_id = ordered_pairs.customer_id
),

counts as (
    select
        audience_id,
        campaign_id,
        sum(case when was_sent = 1 and not is_holdout then 1 else 0 end) as treated_customers,
        sum(case when was_sent = 1 and not is_holdout then opened else 0 end) as opened_customers,
        sum(case when was_sent = 1 and not is_holdout then clicked else 0 end) as clicked_customers,
        sum(case when was_sent = 1 and not is_holdout then converted else 0 end) as converted_customers,
        sum(case when was_sent = 1 and not is_holdout then ordered else 0 end) as treated_ordered_customers,
        sum(case when was_sent = 0 and is_holdout then 1 else 0 end) as holdout_customers,
        sum(case when was_sent = 0 and is_holdout then ordered else 0 end) as holdout_ordered_customers,
        sum(case when was_sent = 1 and is_holdout then 1 else 0 end) as holdout_sent_customers
    from outcomes
    group by audience_id, campaign_id
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
