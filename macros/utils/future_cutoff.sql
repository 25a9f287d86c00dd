{#- The instant after which a timestamp counts as "in the future": the var
    `segmentation__future_cutoff` when set (reproducible runs), else now. -#}
{% macro future_cutoff() %}
    {%- set cutoff = segmentation.setting('segmentation__future_cutoff') -%}
    {%- if cutoff is none -%}
        {{ return("cast(" ~ dbt.current_timestamp() ~ " as " ~ dbt.type_timestamp() ~ ")") }}
    {%- else -%}
        {{ return("cast(" ~ segmentation.sql_literal(cutoff) ~ " as " ~ dbt.type_timestamp() ~ ")") }}
    {%- endif -%}
{% endmacro %}
