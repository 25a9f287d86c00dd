-- Every one of the 125 RFM cells has exactly one named segment, and the
-- cell text matches its three scores. Returns the offending cells.
{%- set segment_map = ref(segmentation.setting('segmentation__rfm_segment_map') or 'rfm_segment_map') %}

with

segment_map as (
    select
        cast(rfm_cell as {{ dbt.type_string() }}) as rfm_cell,
        r_score,
        f_score,
        m_score
    from {{ segment_map }}
),

scores as (
    select 1 as score
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
),

expected_cells as (
    select
        cast(r.score as {{ dbt.type_string() }})
        || cast(f.score as {{ dbt.type_string() }})
        || cast(m.score as {{ dbt.type_string() }}) as rfm_cell
    from scores as r
    cross join scores as f
    cross join scores as m
),

missing as (
    select
        expected_cells.rfm_cell,
        'missing' as problem
    from expected_cells
    left join segment_map
        on expected_cells.rfm_cell = segment_map.rfm_cell
    where segment_map.rfm_cell is null
),

inconsistent as (
    select
        segment_map.rfm_cell,
        'cell does not match its scores' as problem
    from segment_map
    where segment_map.rfm_cell
        != cast(segment_map.r_score as {{ dbt.type_string() }})
        || cast(segment_map.f_score as {{ dbt.type_string() }})
        || cast(segment_map.m_score as {{ dbt.type_string() }})
),

final as (
    select * from missing
    union all
    select * from inconsistent
)

select * from final
