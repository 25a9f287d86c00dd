{#- The instant after which a timestamp counts as "in the future": the var
    `segmentation__future_cutoff` when set (reproducible runs), else now. -#}
{% macro future_cutoff() %}
    {%- set cutoff = var('segmentation__future_cutoff', none) -%}
    {%- if cutoff is none or cutoff == '' -%}
        {{ return("cast(" ~ dbt.current_timestamp() ~ " as " ~ dbt.type_timestamp() ~ ")") }}
    {%- else -%}
        {{ return("cast('" ~ cutoff ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- endif -%}
{% endmacro %}
