{#- The warehouse type for a contract column kind, via dbt's cross-database type macros. -#}
{% macro type_for_kind(kind) %}
    {%- if kind == 'string' -%} {{ return(dbt.type_string()) }}
    {%- elif kind == 'timestamp' -%} {{ return(dbt.type_timestamp()) }}
    {%- elif kind == 'date' -%} {{ return('date') }}
    {%- elif kind == 'number' -%} {{ return(dbt.type_numeric()) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("segmentation: unknown column kind '" ~ kind ~ "'") }}
    {%- endif -%}
{% endmacro %}
