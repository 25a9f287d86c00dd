-- From-label -> to-label customer counts at each build that changed a label,
-- against the state the build before left: for the cluster segment, the RFM
-- segment and the lifecycle stage. Rows whose labels match are customers who
-- stayed; a null from_label is an entry, a null to_label an exit. Enough for a
-- migration matrix or a Sankey diagram.

with

changes as (
    select * from {{ ref('int_segmentation__sync_changes') }}
    where label_kind in ('cluster_segment', 'rfm_segment', 'lifecycle_stage')
),

history as (
    select * from {{ ref('int_segmentation__segment_membership_history') }}
    where label_kind in ('cluster_segment', 'rfm_segment', 'lifecycle_stage')
),

runs as (
    select
        run_at,
        lag(run_at) over (order by run_at) as previous_run_at
    from (select distinct changed_at as run_at from changes) as change_times
),

moves as (
    select
        changed_at as run_at,
        label_kind,
        old_label as from_label,
        new_label as to_label,
        max(old_label_name) as from_label_name,
        max(new_label_name) as to_label_name,
        count(*) as customer_count
    from changes
    group by changed_at, label_kind, old_label, new_label
),

-- Each label's members go up where a stretch of history starts and down
-- where one ends; every start and end is a run time.
label_events as (
    select
        label_kind,
        label,
        label_name,
        valid_from as event_at,
        1 as entering,
        0 as leaving
    from history
    union all
    select
        label_kind,
        label,
        label_name,
        valid_to as event_at,
        0 as entering,
        1 as leaving
    from history
    where valid_to is not null
),

labels as (
    select
        label_kind,
        label,
        max(label_name) as label_name
    from label_events
    group by label_kind, label
),

label_runs as (
    select
        runs.run_at,
        labels.label_kind,
        labels.label,
        labels.label_name,
        coalesce(sum(label_events.entering), 0) as entering,
        coalesce(sum(label_events.leaving), 0) as leaving
    from runs
    cross join labels
    left join label_events
        on labels.label_kind = label_events.label_kind
            and labels.label = label_events.label
            and runs.run_at = label_events.event_at
    group by runs.run_at, labels.label_kind, labels.label, labels.label_name
),

-- Members after a run, less those who joined in it: who stayed.
stays as (
    select
        run_at,
        label_kind,
        label as from_label,
        label as to_label,
        label_name as from_label_name,
        label_name as to_label_name,
        sum(entering - leaving) over (
            partition by label_kind, label order by run_at rows between unbounded preceding and current row
        ) - entering as customer_count
    from label_runs
),

transitions as (
    select * from moves
    union all
    select * from stays
    where customer_count > 0
),

final as (
    select
        -- ids
        {{ dbt.hash(
            "cast(transitions.run_at as " ~ dbt.type_string() ~ ") || '|' || transitions.label_kind || '|' || "
            ~ "coalesce(transitions.from_label, '') || '|' || coalesce(transitions.to_label, '')"
        ) }} as transition_id,
        -- strings
        transitions.label_kind,
        case
            when transitions.from_label is null then 'entered'
            when transitions.to_label is null then 'exited'
            when transitions.from_label = transitions.to_label then 'stayed'
            else 'moved'
        end as transition_type,
        transitions.from_label,
        transitions.to_label,
        transitions.from_label_name,
        transitions.to_label_name,
        -- numbers
        cast(transitions.customer_count as {{ dbt.type_bigint() }}) as customer_count,
        -- timestamps
        transitions.run_at,
        runs.previous_run_at
    from transitions
    inner join runs
        on transitions.run_at = runs.run_at
)

select * from final
