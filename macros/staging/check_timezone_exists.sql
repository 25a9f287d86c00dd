{#- Stops the build with a `segmentation:` message when the engine does not
    know the time zone of var segmentation__source_timezone (its shape is
    checked by `timestamp_settings`). Runs at execution only. Engines without
    a catalogue of zones report an unknown one themselves when the model runs. -#}
{% macro check_timezone_exists(zone_literal) %}
    {{ return(adapter.dispatch('check_timezone_exists', 'segmentation')(zone_literal)) }}
{% endmacro %}

{% macro default__check_timezone_exists(zone_literal) %}
{% endmacro %}

{% macro duckdb__check_timezone_exists(zone_literal) %}
    {%- if execute -%}
        {%- set found = run_query('select count(*) from pg_timezone_names() where name = ' ~ zone_literal) -%}
        {%- if found.columns[0].values()[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "segmentation: var 'segmentation__source_timezone' is " ~ zone_literal
                ~ ", which DuckDB does not know; expected an IANA time zone name such as 'UTC',"
                ~ " 'Europe/Berlin' or 'America/New_York'.") }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
