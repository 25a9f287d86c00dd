{#- On DuckDB, the settings the package chooses for its build (decision 0019):
    a memory limit that keeps the build's resident memory bounded (DuckDB's
    default is 80% of the machine and spills only past it), and insertion
    order not kept (no model relies on it; keeping it costs memory in every
    large table build). A setting the profile's `settings:` names is left
    alone, as is one whose var is null. An on-run-start hook: renders no SQL. -#}
{% macro apply_duckdb_settings() %}
    {%- if target.type != 'duckdb' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set from_profile = target.get('settings') or {} -%}
    {%- set chosen = [
        ('memory_limit', segmentation.setting('segmentation__duckdb_memory_limit')),
        ('preserve_insertion_order', segmentation.setting('segmentation__duckdb_preserve_insertion_order')),
    ] -%}
    {%- for name, value in chosen if value is not none and name not in from_profile -%}
        {%- set literal = segmentation.sql_literal(value) if value is string else ('true' if value else 'false') -%}
        {%- do run_query('set ' ~ name ~ ' = ' ~ literal) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
