{{ config(materialized='incremental', unique_key='segment_id', on_schema_change='append_new_columns',
    full_refresh=false) }}
-- One row per segment_id ever fitted: the name and description generated when
-- the id first appeared, kept while every trait the name states is still true
-- of the segment, so a dashboard or CRM label does not change when trait
-- rankings shift a little between runs, yet never keeps a name that has
-- become false (then the segment is named afresh). Names are state, like the
-- labels snapshot: `dbt build --full-refresh` keeps them (full_refresh=false), so a
-- rebuild of the same data gives the same names; drop the table to name afresh.

{#- A table from before names stated their traits is named afresh once. -#}
{%- set incremental = is_incremental() %}
{%- if incremental %}
{%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
{%- set incremental = 'name_trait_1' in columns %}
{%- endif %}
{%- set still_true = [] %}
{%- for rank in range(1, 6) %}
{%- do still_true.append(
    "(named_before.name_trait_" ~ rank ~ " is null or "
    ~ dbt.position("',' || named_before.name_trait_" ~ rank ~ " || ','", 'traits.true_trait_keys')
    ~ " > 0)"
) %}
{%- endfor %}

with

traits as (
    select * from {{ ref('int_segmentation__segment_traits') }}
),

cluster_model as (
    select distinct fit_id from {{ ref('segmentation__cluster_model') }}
),

to_name as (
    select traits.*
    from traits
    {% if incremental -%}
    left join {{ this }} as named_before
        on traits.segment_id = named_before.segment_id
    where named_before.segment_id is null or not ({{ still_true | join(' and ') }})
    {%- endif %}
),

final as (
    select
        -- ids
        to_name.segment_id,
        cluster_model.fit_id as named_in_fit_id,
        -- strings
        to_name.generated_name as segment_name,
        to_name.generated_description as segment_description,
        to_name.name_trait_1,
        to_name.name_trait_2,
        to_name.name_trait_3,
        to_name.name_trait_4,
        to_name.name_trait_5
    from to_name
    cross join cluster_model
)

select * from final
