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
    create or replace table {{ segmentation.previous_run_name(relation) }} as
    select * from {{ existing }}
{%- endmacro %}


{#- The relation keep_previous_run writes for `relation`. -#}
{% macro previous_run_name(relation) %}
    {{ return(relation.incorporate(path={'identifier': relation.identifier ~ '__previous'}, type='table')) }}
{% endmacro %}


{#- The previous-run copy of `relation` when one exists, else none. Asks the
    warehouse's information schema, not dbt's relation cache: the cache does not
    know a table that a pre-hook created earlier in the same invocation, and
    names are compared case-insensitively (Snowflake stores them upper case). -#}
{% macro previous_run_relation(relation) %}
    {%- if not execute %}{{ return(none) }}{% endif %}
    {%- set name = segmentation.previous_run_name(relation) %}
    {%- set found = run_query(adapter.dispatch('count_tables_named', 'segmentation')(name)) %}
    {{ return(name if found.columns[0].values()[0] > 0 else none) }}
{% endmacro %}


{#- SQL counting the tables named like `relation` (case-insensitively) in the
    information schema of its database. -#}
{% macro default__count_tables_named(relation) -%}
    select count(*) from {{ relation.information_schema('tables') }}
    where lower(table_schema) = lower('{{ relation.schema }}')
        and lower(table_name) = lower('{{ relation.identifier }}')
{%- endmacro %}

{#- DuckDB keeps one information schema for every attached database. -#}
{% macro duckdb__count_tables_named(relation) -%}
    select count(*) from information_schema.tables
    where lower(table_catalog) = lower('{{ relation.database }}')
        and lower(table_schema) = lower('{{ relation.schema }}')
        and lower(table_name) = lower('{{ relation.identifier }}')
{%- endmacro %}
