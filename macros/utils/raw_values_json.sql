{#- A JSON object text {name: value} of text columns, nulls kept, for the
    rejected-rows audit. The value of `name` is read from column `name ~ suffix`.
    Dispatched: engines with a JSON builder use it. -#}
{% macro raw_values_json(column_names, suffix='') %}
    {{ return(adapter.dispatch('raw_values_json', 'segmentation')(column_names, suffix)) }}
{% endmacro %}

{% macro default__raw_values_json(column_names, suffix='') -%}
    '{' ||
    {%- for name in column_names %}
    '"{{ name }}":' || coalesce('"' || replace(replace({{ name ~ suffix }}, '\\', '\\\\'), '"', '\\"') || '"', 'null')
    {{- " || ',' ||" if not loop.last }}
    {%- endfor %}
    || '}'
{%- endmacro %}

{% macro duckdb__raw_values_json(column_names, suffix='') -%}
    cast(json_object(
    {%- for name in column_names %}
        '{{ name }}', {{ name ~ suffix }}{{ "," if not loop.last }}
    {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro snowflake__raw_values_json(column_names, suffix='') -%}
    to_json(object_construct_keep_null(
    {%- for name in column_names %}
        '{{ name }}', {{ name ~ suffix }}{{ "," if not loop.last }}
    {%- endfor %}
    ))
{%- endmacro %}
