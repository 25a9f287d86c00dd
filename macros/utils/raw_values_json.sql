{#- A JSON object text {name: value} of text columns, nulls kept, for the
    rejected-rows audit. The value of `name` is read from column `name ~ suffix`.
    Dispatched: engines with a JSON builder use it. -#}
{% macro raw_values_json(column_names, suffix='', redacted=[]) %}
    {{ return(adapter.dispatch('raw_values_json', 'segmentation')(column_names, suffix, redacted)) }}
{% endmacro %}

{#- The value of one key: the column, or a marker where a PII value is redacted. -#}
{% macro raw_value_or_redacted(name, suffix, redacted) -%}
    {%- if name in redacted -%}
        case when {{ name ~ suffix }} is not null then '(redacted)' end
    {%- else -%}
        {{ name ~ suffix }}
    {%- endif -%}
{%- endmacro %}

{% macro default__raw_values_json(column_names, suffix='', redacted=[]) -%}
    '{' ||
    {%- for name in column_names %}
    '"{{ name }}":' || coalesce('"' || replace(replace({{ segmentation.raw_value_or_redacted(name, suffix, redacted) }}, '\\', '\\\\'), '"', '\\"') || '"', 'null')
    {{- " || ',' ||" if not loop.last }}
    {%- endfor %}
    || '}'
{%- endmacro %}

{% macro duckdb__raw_values_json(column_names, suffix='', redacted=[]) -%}
    cast(json_object(
    {%- for name in column_names %}
        '{{ name }}', {{ segmentation.raw_value_or_redacted(name, suffix, redacted) }}{{ "," if not loop.last }}
    {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro snowflake__raw_values_json(column_names, suffix='', redacted=[]) -%}
    to_json(object_construct_keep_null(
    {%- for name in column_names %}
        '{{ name }}', {{ segmentation.raw_value_or_redacted(name, suffix, redacted) }}{{ "," if not loop.last }}
    {%- endfor %}
    ))
{%- endmacro %}
