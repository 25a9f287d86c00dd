{#- The PII columns of an input's contract whose values staging hides from the
    rejected-rows audit: its raw_values and messages show '(redacted)'. None
    when the var segmentation__redact_pii_in_rejected_rows is false. -#}
{% macro redacted_columns(input_name) %}
    {%- set names = [] -%}
    {%- if segmentation.setting('segmentation__redact_pii_in_rejected_rows') -%}
        {%- for column in segmentation.input_contract()[input_name]['columns'] if column.get('pii', false) -%}
            {%- do names.append(column['name']) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
