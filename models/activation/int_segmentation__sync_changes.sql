-- The changes-only feed for reverse-ETL: one row per customer and label slot
-- each time a build changed it: entered (no label before), exited (no label
-- now) or moved (one label to another). Keyed by change_id, which never
-- changes, so a sync that diffs by key sends each change once; a build that
-- changes nothing adds no row.

with

snapshot as (
    select * from {{ ref('segmentation__customer_labels_snapshot') }}
),

audiences as (
    select * from {{ ref('int_segmentation__audience_catalog') }}
),

versions as (
    select
        dbt_scd_id,
        customer_id,
        label_kind,
        label,
        dbt_valid_from,
        lag(label) over (partition by membership_key order by dbt_valid_from) as previous_label,
        lag(dbt_valid_from) over (partition by membership_key order by dbt_valid_from) as previous_valid_from
    from snapshot
),

final as (
    select
        -- ids
        versions.dbt_scd_id as change_id,
        versions.customer_id,
        old_audience.audience_id as old_audience_id,
        new_audience.audience_id as new_audience_id,
        -- strings
        versions.label_kind,
        case
            when versions.previous_label is null then 'entered'
            when versions.label is null then 'exited'
            else 'moved'
        end as change_type,
        versions.previous_label as old_label,
        versions.label as new_label,
        old_audience.audience_name as old_label_name,
        new_audience.audience_name as new_label_name,
        -- timestamps
        versions.dbt_valid_from as changed_at,
        case when versions.previous_label is not null then versions.previous_valid_from end as old_label_since
    from versions
    left join audiences as old_audience
        on versions.label_kind = old_audience.label_kind
            and versions.previous_label = old_audience.label
    left join audiences as new_audience
        on versions.label_kind = new_audience.label_kind
            and versions.label = new_audience.label
)

select * from final
