{#- True when a timestamp falls on a Saturday or Sunday. Day-of-week numbering
    differs between engines (and on Snowflake with WEEK_START), so dispatch. -#}
{% macro is_weekend(timestamp_expression) %}
    {{ return(adapter.dispatch('is_weekend', 'segmentation')(timestamp_expression)) }}
{% endmacro %}

{% macro default__is_weekend(timestamp_expression) -%}
    (extract(dow from {{ timestamp_expression }}) in (0, 6))
{%- endmacro %}

{% macro duckdb__is_weekend(timestamp_expression) -%}
    (dayofweek({{ timestamp_expression }}) in (0, 6))
{%- endmacro %}

{% macro snowflake__is_weekend(timestamp_expression) -%}
    (dayname({{ timestamp_expression }}) in ('Sat', 'Sun'))
{%- endmacro %}
