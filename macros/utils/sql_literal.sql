{#- A value from data or config as a SQL literal: the only way such a value may
    reach SQL. null -> null; true/false; a finite number as written; anything
    else as a string literal quoted by the engine's rules (dispatched:
    Snowflake also reads a backslash as an escape, DuckDB does not). -#}
{% macro sql_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {%- if value != value or (value | abs) > 1e300 -%}
            {{ exceptions.raise_compiler_error("segmentation: " ~ value ~ " is not a finite number") }}
        {%- endif -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return(adapter.dispatch('string_literal', 'segmentation')(value | string)) }}
{% endmacro %}

{% macro default__string_literal(text) -%}
    {{ return("'" ~ text | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro snowflake__string_literal(text) -%}
    {{ return("'" ~ text | replace("\\", "\\\\") | replace("'", "''") ~ "'") }}
{%- endmacro %}
