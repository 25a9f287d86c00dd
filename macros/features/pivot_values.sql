{#- The values a pivot makes columns for: the configured list when the var
    `config_var` is set, else the distinct non-null values of `column` in
    `relation`, sorted (read at execution; empty while parsing). -#}
{% macro pivot_values(relation, column, config_var) %}
    {%- set configured = segmentation.setting(config_var) -%}
    {%- if configured is not none -%}
        {{ return(configured | list) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        "select distinct " ~ column ~ " from " ~ relation ~ " where " ~ column ~ " is not null order by 1"
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}

