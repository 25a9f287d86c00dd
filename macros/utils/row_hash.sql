{#- A hash of several expressions, nulls included, for grouping rows cheaply
    (a collision only costs work, never a result: callers compare the values).
    DuckDB and Snowflake hash the values natively; elsewhere md5 of a
    separated text. -#}
{% macro row_hash(expressions) %}
    {{ return(adapter.dispatch('row_hash', 'segmentation')(expressions)) }}
{% endmacro %}

{% macro default__row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce('~' || " ~ expression ~ ", '-')") -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '|' || ")) }}
{%- endmacro %}

{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro snowflake__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}
