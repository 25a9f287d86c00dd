{#- Cast text to a type, giving null instead of an error when it does not parse.
    dbt's own `safe_cast` does this on Snowflake, BigQuery and others; DuckDB's
    adapter leaves it as a plain cast, so DuckDB gets `try_cast` here. -#}
{% macro safe_cast(field, type) %}
    {{ return(adapter.dispatch('safe_cast', 'segmentation')(field, type)) }}
{% endmacro %}

{% macro default__safe_cast(field, type) -%}
    {{ dbt.safe_cast(field, type) }}
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
