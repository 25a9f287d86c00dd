{#- A case expression that puts a number into bands cut at ascending `edges`:
    '<e1', 'e1-(e2-1)', ..., 'eN+' for whole-number edges. Null stays null. -#}
{% macro band_label(expression, edges) %}
    {%- if edges | length == 0 -%}
        {{ exceptions.raise_compiler_error("segmentation: band edges must not be empty") }}
    {%- endif -%}
    case
        when {{ expression }} is null then null
        when {{ expression }} < {{ edges[0] }} then '<{{ edges[0] }}'
        {%- for edge in edges[1:] %}
        when {{ expression }} < {{ edge }} then '{{ edges[loop.index0] }}-{{ edge - 1 }}'
        {%- endfor %}
        else '{{ edges[-1] }}+'
    end
{%- endmacro %}
