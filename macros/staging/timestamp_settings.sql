{#- The validated timestamp vars, as SQL string literals where SQL uses them:
    {'source_timezone': 'UTC' (literal), 'is_utc': bool, 'min_timestamp':
    '1900-01-01' (literal), 'formats': ['%Y%m%d', ...] (validated text)}.
    Every var is checked once here, and a bad value stops the build with a
    `segmentation:` message naming the var, the value and what is allowed. -#}
{% macro timestamp_settings() %}
    {%- set zone = var('segmentation__source_timezone', 'UTC') -%}
    {%- if zone is not string or not modules.re.fullmatch('[A-Za-z][A-Za-z0-9_+-]{0,40}(/[A-Za-z0-9_+-]{1,40}){0,2}', zone) -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: var 'segmentation__source_timezone' is '" ~ zone ~ "'"
            ~ "; expected an IANA time zone name such as 'UTC', 'Europe/Berlin' or 'America/New_York'.") }}
    {%- endif -%}

    {%- set floor = var('segmentation__min_timestamp', '1900-01-01') | string -%}
    {%- set floor_ok = modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?', floor) -%}
    {%- if floor_ok -%}
        {%- set floor_ok = segmentation.is_valid_datetime(floor) -%}
    {%- endif -%}
    {%- if not floor_ok -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: var 'segmentation__min_timestamp' is '" ~ floor ~ "'"
            ~ "; expected a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DD HH:MM:SS' (UTC), e.g. '1900-01-01'.") }}
    {%- endif -%}

    {%- set formats = var('segmentation__timestamp_formats', []) or [] -%}
    {%- if formats is string or formats is mapping or formats is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: var 'segmentation__timestamp_formats' is " ~ formats
            ~ "; expected a list of strptime formats, e.g. ['%Y%m%d', '%d/%m/%Y %H:%M'].") }}
    {%- endif -%}
    {%- for format in formats -%}
        {%- set directives = modules.re.findall('%[A-Za-z]', format | string) -%}
        {%- if format is not string
            or not modules.re.fullmatch('(%[YymdHIMSfpb]|[-/:., T])+', format)
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
        'source_timezone': segmentation.timestamp_var_literal(zone),
        'is_utc': zone | upper in ('UTC', 'ETC/UTC', 'ZULU', 'ETC/ZULU', 'UCT', 'ETC/UCT'),
        'min_timestamp': segmentation.timestamp_var_literal(floor),
        'formats': formats | list,
    }) }}
{% endmacro %}


{#- Whether `text` ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS') is a real calendar
    date and time: 2025-02-30 or 24:00:00 are not. Jinja cannot catch
    strptime's error, so the parts are checked one by one. -#}
{% macro is_valid_datetime(text) %}
    {%- set parts = modules.re.findall('[0-9]+', text) | map('int') | list -%}
    {%- set year, month, day = parts[0], parts[1], parts[2] -%}
    {%- if year < 1 or month < 1 or month > 12 or day < 1 or day > 31 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set first = modules.datetime.date(year, month, 1) -%}
    {%- if (first + modules.datetime.timedelta(days=day - 1)).month != month -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(parts | length == 3 or (parts[3] < 24 and parts[4] < 60 and parts[5] < 60)) }}
{% endmacro %}


{#- A validated var value as a SQL string literal. Local stand-in until the
    shared `segmentation.sql_literal` macro lands in main. -#}
{% macro timestamp_var_literal(value) %}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}
