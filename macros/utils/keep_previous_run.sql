{#- Keeps a copy of a model's relation as it was before this build, as
    `<identifier>__previous`, so a test can compare runs (segment_stability).
    Use as a pre-hook: "{{ segmentation.keep_previous_run(this) }}". Nothing
    to copy on the first build. -#}
{% macro keep_previous_run(relation) %}
    {%- if not execute %}{{ return('') }}{% endif %}
    {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) %}
    {%- if existing is none %}{{ return('') }}{% endif %}
    {#- Named from `relation`, not `existing`: a listed relation is quoted in the
        case the warehouse stores (Snowflake: upper), so `existing ~ '__previous'`
        would create a mixed-case table that previous_run_relation cannot find. #}
    {#- Tell dbt's relation cache, or a test later in this same invocation
        would not find the copy and would compare with nothing. #}
    {%- do adapter.cache_added(segmentation.previous_run_name(relation)) %}
    create or replace table {{ segmentation.previous_run_name(relation) }} as
    select * from {{ existing }}
{%- endmacro %}


{#- The relation keep_previous_run writes for `relation`. -#}
{% macro previous_run_name(relation) %}
    {{ return(relation.incorporate(path={'identifier': relation.identifier ~ '__previous'}, type='table')) }}
{% endmacro %}


{#- The previous-run copy of `relation` when one exists, else none. -#}
{% macro previous_run_relation(relation) %}
    {%- if not execute %}{{ return(none) }}{% endif %}
    {%- set name = segmentation.previous_run_name(relation) %}
    {{ return(adapter.get_relation(name.database, name.schema, name.identifier)) }}
{% endmacro %}
