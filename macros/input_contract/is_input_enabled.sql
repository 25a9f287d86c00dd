{#- Whether an input is on: required inputs always are; optional ones follow
    their `segmentation__using_<input>` var. -#}
{% macro is_input_enabled(input_name) %}
    {%- set contract = segmentation.input_contract() -%}
    {%- if input_name not in contract -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: unknown input '" ~ input_name ~ "'. Known inputs: "
            ~ (contract.keys() | list | join(', '))) }}
    {%- endif -%}
    {%- if not contract[input_name]['optional'] -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(segmentation.setting('segmentation__using_' ~ input_name)) }}
{% endmacro %}
