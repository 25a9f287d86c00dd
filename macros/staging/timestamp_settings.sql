{#- The validated timestamp vars, as SQL string literals where SQL uses them:
    {'source_timezone': 'UTC' (literal), 'is_utc': bool, 'min_timestamp':
    '1900-01-01' (literal), 'formats': ['%Y%m%d', ...] (validated text)}.
    Every var is checked once here, and a bad value stops the build with a
    `segmentation:` message naming the var, the value and what is allowed. -#}
{% macro timestamp_settings() %}
    {%- set zone = segmentation.setting('segmentation__source_timezone') -%}
    {%- set floor = segmentation.setting('segmentation__min_timestamp') -%}
    {%- set formats = segmentation.setting('segmentation__timestamp_formats') or [] -%}
    {%- for format in formats -%}
        {%- set directives = modules.re.findall('%[A-Za-z]', format) -%}
        {%- if not modules.re.fullmatch('(%[YymdHIMSfpb]|[-/:., T])+', format)
            or not ('%Y' in directives or '%y' in directives)
            or not ('%m' in directives or '%b' in directives)
            or '%d' not in directives -%}
            {{ exceptions.raise_compiler_error(
                "segmentation: var 'segmentation__timestamp_formats' has '" ~ format ~ "'"
                ~ "; each format needs a year (%Y or %y), a month (%m or %b) and a day (%d), and may use"
                ~ " only %Y %y %m %b %d %H %I %M %S %f %p and the characters - / : . , space T"
                ~ " (no zone: values read with a format are in var segmentation__source_timezone).") }}
        {%- endif -%}
    {%- endfor -%}

    {{ return({
        'source_timezone': segmentation.sql_literal(zone),
        'is_utc': zone | upper in ('UTC', 'ETC/UTC', 'ZULU', 'ETC/ZULU', 'UCT', 'ETC/UCT'),
        'min_timestamp': segmentation.sql_literal(floor),
        'formats': formats,
    }) }}
{% endmacro %}
