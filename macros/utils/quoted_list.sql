{#- 'a', 'b', 'c' — a SQL list of string literals, quotes escaped. -#}
{% macro quoted_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{% endmacro %}
