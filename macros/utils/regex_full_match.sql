{#- True when the whole of `field` matches `pattern` (a regular expression
    without backslashes, written for both engines). -#}
{% macro regex_full_match(field, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'segmentation')(field, pattern)) }}
{% endmacro %}

{% macro default__regex_full_match(field, pattern) -%}
    regexp_like({{ field }}, '^({{ pattern }})$')
{%- endmacro %}

{% macro duckdb__regex_full_match(field, pattern) -%}
    regexp_full_match({{ field }}, '{{ pattern }}')
{%- endmacro %}

{#- Snowflake's regexp_like already matches the whole subject. -#}
{% macro snowflake__regex_full_match(field, pattern) -%}
    regexp_like({{ field }}, '{{ pattern }}')
{%- endmacro %}
