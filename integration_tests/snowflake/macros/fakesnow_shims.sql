{#- Shims for fakesnow's gaps, so that the package's real Snowflake SQL can
    run on it. Each says what fakesnow gets wrong; none is needed on Snowflake. -#}

{#- fakesnow rewrites TRY_CAST(x AS TIMESTAMP[_NTZ]) into its unsafe
    to_timestamp, which raises on unparseable text instead of giving null.
    DATETIME (Snowflake's alias of TIMESTAMP_NTZ) escapes that rewrite.
    Overrides dbt.safe_cast (root-project macros win dbt's dispatch). -#}
{% macro snowflake__safe_cast(field, type) %}
    {%- if type | lower in ('timestamp', 'timestamp_ntz') -%}
        try_cast({{ field }} as datetime)
    {%- else -%}
        {{ dbt.snowflake__safe_cast(field, type) }}
    {%- endif -%}
{% endmacro %}


{#- fakesnow (DuckDB) keeps temporary tables in its own "temp" catalog and
    refuses a database-qualified CREATE TEMPORARY TABLE, which dbt's unit
    tests and incremental builds issue. A transient table stands in. -#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) %}
    {{ return(dbt.snowflake__create_table_transient_sql(relation, compiled_code)) }}
{% endmacro %}


{#- The same gap for the temporary view an incremental merge stages its new
    rows in: a plain view stands in (dbt drops it after the merge). -#}
{% macro snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary=False) %}
    {{ return(dbt.snowflake__create_view_as_with_temp_flag(relation, sql, False)) }}
{% endmacro %}


{#- fakesnow's MERGE emulation cannot bind the unqualified columns of
    `when not matched then insert (...) values (...)` (ambiguous between source
    and target; Snowflake takes the source's). Same merge, values qualified.
    dbt-snowflake's snowflake__get_merge_sql calls this by its bare name. -#}
{% macro default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) %}
    {%- set merge = dbt.default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set qualified = [] -%}
    {%- for column in dest_columns | map(attribute='name') -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ adapter.quote(column)) -%}
    {%- endfor -%}
    {{ return(merge.rsplit('values', 1)[0] ~ 'values (' ~ qualified | join(', ') ~ ')') }}
{% endmacro %}



{#- The same gap in the snapshot's MERGE (snowflake__snapshot_merge_sql calls
    this by its bare name): the inserted values, qualified with the source. -#}
{% macro default__snapshot_merge_sql(target, source, insert_cols) %}
    {%- set merge = dbt.default__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- set qualified = [] -%}
    {%- for column in insert_cols -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ column) -%}
    {%- endfor -%}
    {{ return(merge.rsplit('values', 1)[0] ~ 'values (' ~ qualified | join(', ') ~ ')') }}
{% endmacro %}

{#- fakesnow builds OBJECT_CONSTRUCT_KEEP_NULL with json_group_object, whose
    key order varies from row to row (Snowflake's objects are ordered), so
    identical rows got different raw_values and exact duplicate events were
    missed. The package's portable string-built JSON is deterministic. -#}
{% macro snowflake__raw_values_json(column_names, suffix='', redacted=[]) %}
    {{ return(segmentation.default__raw_values_json(column_names, suffix, redacted)) }}
{% endmacro %}
