{#- SQL for one model dimension of a feature spec entry, exactly as the Python
    model computes it: (transform(column) - center) / scale, and 0 (the centre)
    when the value is null. transform: identity, log1p (of the value floored at
    0) or indicator (1 when the column equals `value`, else 0). -#}
{% macro cluster_dimension(entry, relation_alias) %}
    {%- set column = relation_alias ~ '.' ~ entry['column'] -%}
    {%- set double = segmentation.type_double() -%}
    {%- if entry['transform'] == 'indicator' -%}
        {%- set value = entry['value'] -%}
        {%- if value is sameas true or value is sameas false -%}
            {%- set literal = 'true' if value else 'false' -%}
        {%- elif value is number -%}
            {%- set literal = value -%}
        {%- else -%}
            {%- set literal = segmentation.sql_literal(value) -%}
        {%- endif -%}
        {%- set transformed = "case when " ~ column ~ " = " ~ literal ~ " then 1.0 else 0.0 end" -%}
        {%- set column_is_null = "false" -%}
    {%- elif entry['transform'] == 'log1p' -%}
        {%- set transformed = "ln(1 + greatest(cast(" ~ column ~ " as " ~ double ~ "), 0))" -%}
        {%- set column_is_null = column ~ " is null" -%}
    {%- else -%}
        {%- set transformed = "cast(" ~ column ~ " as " ~ double ~ ")" -%}
        {%- set column_is_null = column ~ " is null" -%}
    {%- endif -%}
    case
        when {{ column_is_null }} then cast(0 as {{ double }})
        else ({{ transformed }} - {{ segmentation.sql_literal(entry['center']) }}) / {{ segmentation.sql_literal(entry['scale']) }}
    end
{%- endmacro %}
