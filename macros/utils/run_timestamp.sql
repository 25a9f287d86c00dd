{#- The build's start time as a timestamp literal: every row a build writes
    shares it (to the microsecond), so history and change feeds line up by run. -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
