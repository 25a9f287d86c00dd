{#- Whole days from one date to another (end − start), the recency convention
    of the package: dates, not timestamps, so 23:59 → 00:01 is one day. -#}
{% macro days_between(start_date, end_date) %}
    {{ return(adapter.dispatch('days_between', 'segmentation')(start_date, end_date)) }}
{% endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}
