{{ config(materialized='incremental', full_refresh=false, unique_key='run_id', on_schema_change='append_new_columns') }}
-- A run history: `dbt build --full-refresh` keeps it (full_refresh=false), like the
-- labels snapshot; drop the table to start it afresh.
-- One row per build of segmentation__cluster_model, appended run after run: the
-- refit policy's decision (refit or kept, why, the drift; docs/decisions/0023),
-- the fit's diagnostics and segment sizes, so fit quality can be watched over time.
-- Keyed by fit_id and the build's start time, so a build that keeps the fit still
-- appends its row. Appended once the build has published (after the sync feed): a
-- build that stops before, killed or held back by a quality gate, leaves no row,
-- and its rerun is the run (docs/decisions/0015).
-- depends_on: {{ ref('segmentation__sync_changes') }}

with

cluster_model as (
    select * from {{ ref('segmentation__cluster_model') }}
),

as_of as (
    select as_of_date from {{ ref('int_segmentation__as_of') }}
),

assignments as (
    select
        segment_id,
        count(*) as customer_count
    from {{ ref('int_segmentation__segment_assignments') }}
    where segment_id is not null
    group by segment_id
),

segment_sizes as (
    select
        {{ dbt.listagg(
            "'\"' || cast(segment_id as " ~ dbt.type_string() ~ ") || '\": ' || cast(customer_count as "
            ~ dbt.type_string() ~ ")",
            "', '",
            "order by segment_id"
        ) }} as sizes,
        cast(sum(customer_count) as {{ dbt.type_bigint() }}) as assigned_customers
    from assignments
),

fit as (
    select
        fit_id,
        max(fitted_at) as fitted_at,
        max(k) as k,
        max(silhouette) as silhouette,
        max(inertia) as inertia,
        max(sample_size) as sample_size,
        max(eligible_customers) as eligible_customers,
        max(k_selection) as k_selection,
        max(k_scores) as k_scores,
        max(feature_spec) as feature_spec,
        max(random_state) as random_state,
        max(package_version) as package_version,
        max(run_decision) as run_decision,
        max(refit_reason) as refit_reason,
        max(drift) as drift,
        max(fitted_as_of_date) as fitted_as_of_date
    from cluster_model
    group by fit_id
),

final as (
    select
        -- ids
        fit.fit_id || '@' || cast({{ segmentation.run_timestamp() }} as {{ dbt.type_string() }}) as run_id,
        fit.fit_id,
        -- strings
        fit.run_decision,
        fit.refit_reason,
        fit.k_selection,
        fit.k_scores,
        '{' || segment_sizes.sizes || '}' as segment_sizes,
        fit.feature_spec,
        fit.package_version,
        -- numbers
        fit.k,
        fit.silhouette,
        fit.inertia,
        fit.sample_size,
        fit.eligible_customers,
        segment_sizes.assigned_customers,
        fit.random_state,
        fit.drift,
        -- dates
        fit.fitted_at,
        cast(fit.fitted_as_of_date as date) as fitted_as_of_date,
        as_of.as_of_date,
        {{ segmentation.run_timestamp() }} as run_at
    from fit
    cross join segment_sizes
    cross join as_of
)

select * from final
