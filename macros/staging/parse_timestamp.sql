{#- Text to a timestamp (naive, UTC) or a date; null when it does not parse.
    Accepted: ISO 8601 'YYYY-MM-DD', 'YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]',
    optionally followed by an offset 'Z', '+HH', '+HHMM' or '+HH:MM' (hours at
    most 14, minutes below 60: DuckDB would read '+25:99'); then the
    strptime formats of the var `segmentation__timestamp_formats`, in order.
    A timestamp with an offset is converted to UTC; one without is read in the
    var `segmentation__source_timezone` and converted to UTC. A date is the
    calendar day as written (no zone conversion). Anything else, including the
    engines' special words ('epoch', 'infinity', digits as epoch seconds on
    Snowflake), is null: the gate below lets only these shapes reach a cast.
    The result never depends on the session's time zone. -#}
{% macro parse_timestamp(field, kind='timestamp') %}
    {{ return(adapter.dispatch('parse_timestamp', 'segmentation')(field, kind)) }}
{% endmacro %}


{#- The ISO 8601 shapes, as regular expressions both engines read alike
    (no backslashes: Snowflake string literals would need them doubled). -#}
{% macro iso_8601_pattern(with_offset) %}
    {%- set naive = '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?' -%}
    {%- set offset_form = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)? ?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)' -%}
    {{ return(offset_form if with_offset else naive) }}
{% endmacro %}


{#- Elsewhere: the engine's own cast, ISO 8601 without offset only; the zone
    and format vars need an engine-specific implementation. -#}
{% macro default__parse_timestamp(field, kind) -%}
    {%- set settings = segmentation.timestamp_settings() -%}
    {%- if not settings['is_utc'] or settings['formats'] -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: vars 'segmentation__source_timezone' and 'segmentation__timestamp_formats'"
            ~ " are supported on DuckDB and Snowflake only, not on " ~ target.type ~ ".") }}
    {%- endif -%}
    {{ segmentation.safe_cast(field, 'date' if kind == 'date' else dbt.type_timestamp()) }}
{%- endmacro %}


{% macro duckdb__parse_timestamp(field, kind) -%}
    {%- set settings = segmentation.timestamp_settings() -%}
    {%- set formats = segmentation.quoted_list(settings['formats']) -%}
    {%- if kind == 'date' -%}
        {#- The day as written: a cast to timestamp keeps the wall clock. -#}
        case
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(false)) }}
                or {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(true)) }}
                then cast(try_cast({{ field }} as timestamp) as date)
            {%- if formats %}
            else cast(try_strptime({{ field }}, [{{ formats }}]) as date)
            {%- endif %}
        end
    {%- else -%}
        {%- set to_utc_open = '' if settings['is_utc'] else "timezone('UTC', timezone(" ~ settings['source_timezone'] ~ ", " -%}
        {%- set to_utc_close = '' if settings['is_utc'] else '))' -%}
        case
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(false)) }}
                then {{ to_utc_open }}try_cast({{ field }} as timestamp){{ to_utc_close }}
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(true)) }}
                then timezone('UTC', try_cast({{ field }} as timestamptz))
            {%- if formats %}
            else {{ to_utc_open }}try_strptime({{ field }}, [{{ formats }}]){{ to_utc_close }}
            {%- endif %}
        end
    {%- endif -%}
{%- endmacro %}


{% macro snowflake__parse_timestamp(field, kind) -%}
    {%- set settings = segmentation.timestamp_settings() -%}
    {%- set attempts = [] -%}
    {%- for format in settings['formats'] -%}
        {%- do attempts.append('try_to_timestamp_ntz(' ~ field ~ ', '
            ~ segmentation.sql_literal(segmentation.snowflake_timestamp_format(format)) ~ ')') -%}
    {%- endfor -%}
    {%- set parsed_by_format = attempts[0] if attempts | length == 1 else 'coalesce(' ~ attempts | join(', ') ~ ')' -%}
    {%- if kind == 'date' -%}
        case
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(false)) }}
                then cast(try_to_timestamp_ntz({{ field }}) as date)
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(true)) }}
                then cast(cast(try_to_timestamp_tz({{ field }}) as timestamp_ntz) as date)
            {%- if attempts %}
            else cast({{ parsed_by_format }} as date)
            {%- endif %}
        end
    {%- else -%}
        {%- set to_utc_open = '' if settings['is_utc'] else "convert_timezone(" ~ settings['source_timezone'] ~ ", 'UTC', " -%}
        {%- set to_utc_close = '' if settings['is_utc'] else ')' -%}
        case
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(false)) }}
                then {{ to_utc_open }}try_to_timestamp_ntz({{ field }}){{ to_utc_close }}
            when {{ segmentation.regex_full_match(field, segmentation.iso_8601_pattern(true)) }}
                then cast(convert_timezone('UTC', try_to_timestamp_tz({{ field }})) as timestamp_ntz)
            {%- if attempts %}
            else {{ to_utc_open }}{{ parsed_by_format }}{{ to_utc_close }}
            {%- endif %}
        end
    {%- endif -%}
{%- endmacro %}


{#- A validated strptime format in Snowflake's notation: %Y -> YYYY, ...;
    a literal T is quoted. -#}
{% macro snowflake_timestamp_format(format) %}
    {%- set notation = {'%Y': 'YYYY', '%y': 'YY', '%m': 'MM', '%b': 'MON', '%d': 'DD', '%H': 'HH24',
        '%I': 'HH12', '%M': 'MI', '%S': 'SS', '%f': 'FF', '%p': 'AM', 'T': '"T"'} -%}
    {%- set pieces = [] -%}
    {%- for piece in modules.re.findall('%[A-Za-z]|.', format) -%}
        {%- do pieces.append(notation.get(piece, piece)) -%}
    {%- endfor -%}
    {{ return(pieces | join('')) }}
{% endmacro %}
