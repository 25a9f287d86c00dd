{#- 'a', 'b', 'c' — a SQL list of literals, each quoted by sql_literal. -#}
{% macro quoted_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append(segmentation.sql_literal(value)) -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{% endmacro %}
