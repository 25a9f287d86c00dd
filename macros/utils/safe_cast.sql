{#- Cast text to a type, giving null instead of an error when it does not parse.
    dbt's own `safe_cast` does this on Snowflake, BigQuery and others; DuckDB's
    adapter leaves it as a plain cast, so DuckDB gets `try_cast` here.
    Dispatched as `cast_or_null`, not `safe_cast`: with this repository as the
    root project, a `default__safe_cast` here would win dbt's own dispatch of
    `dbt.safe_cast` and call itself forever on every adapter but DuckDB. -#}
{% macro safe_cast(field, type) %}
    {{ return(adapter.dispatch('cast_or_null', 'segmentation')(field, type)) }}
{% endmacro %}

{% macro default__cast_or_null(field, type) -%}
    {{ dbt.safe_cast(field, type) }}
{%- endmacro %}

{% macro duckdb__cast_or_null(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
