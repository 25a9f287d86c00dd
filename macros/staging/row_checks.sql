{#- The row-level checks of an input, in the order they are applied: a list of
    {'code', 'condition', 'message'} (message a SQL expression); a row is
    rejected for the first it fails.
    Checks from the contract come first (null key, missing required value,
    special value, unparseable timestamp or number, out of range, future
    timestamp); `extra_checks` are
    the input's own ({'code', 'condition', 'message'}, message a SQL expression).
    Checks that need other rows (duplicates, unknown parents) live in the model. -#}
{% macro row_checks(input_name, key_columns=[], extra_checks=[]) %}
    {%- set columns = segmentation.input_contract()[input_name]['columns'] -%}
    {%- set checks = [] -%}
    {#- A redacted PII column's value is not quoted in the message. -#}
    {%- set redacted = segmentation.redacted_columns(input_name) -%}
    {%- set shown = {} -%}
    {%- for column in columns -%}
        {%- do shown.update({column['name']: "'(redacted)'" if column['name'] in redacted
            else column['name'] ~ '_raw'}) -%}
    {%- endfor -%}
    {%- for name in key_columns -%}
        {%- do checks.append({'code': 'null_key', 'condition': name ~ ' is null',
            'message': "'key column " ~ name ~ " is null'"}) -%}
    {%- endfor -%}
    {%- for column in columns if column['required'] and column['name'] not in key_columns -%}
        {%- do checks.append({'code': 'missing_required_value', 'condition': column['name'] ~ '_raw is null',
            'message': "'required column " ~ column['name'] ~ " is null'"}) -%}
    {%- endfor -%}
    {%- set settings = segmentation.timestamp_settings() -%}
    {%- if not settings['is_utc'] and columns | selectattr('kind', 'equalto', 'timestamp') | list -%}
        {%- do segmentation.check_timezone_exists(settings['source_timezone']) -%}
    {%- endif -%}
    {%- set number_literal = '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?' -%}
    {%- for column in columns if column['kind'] in ('timestamp', 'date', 'number') -%}
        {%- set what = 'a number' if column['kind'] == 'number' else 'a ' ~ column['kind'] -%}
        {%- do checks.append({'code': 'special_value',
            'condition': 'lower(' ~ column['name'] ~ '_raw) in (' ~ segmentation.quoted_list(segmentation.special_values(column['kind'])) ~ ')',
            'message': "'" ~ column['name'] ~ " is a special value, not " ~ what ~ ": ' || " ~ shown[column['name']]}) -%}
    {%- endfor -%}
    {%- for column in columns if column['kind'] in ('timestamp', 'date', 'number') -%}
        {%- if column['kind'] == 'number' -%}
            {%- do checks.append({'code': 'unparseable_number',
                'condition': column['name'] ~ '_raw is not null and not '
                    ~ segmentation.regex_full_match(column['name'] ~ '_raw', number_literal),
                'message': "'" ~ column['name'] ~ " is not a number: ' || " ~ shown[column['name']]}) -%}
        {%- else -%}
            {%- do checks.append({'code': 'unparseable_timestamp',
                'condition': column['name'] ~ '_raw is not null and ' ~ column['name'] ~ ' is null',
                'message': "'" ~ column['name'] ~ " is not a " ~ column['kind']
                    ~ " (ISO 8601, or a format of var segmentation__timestamp_formats): ' || " ~ shown[column['name']]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in columns if column['kind'] in ('timestamp', 'date', 'number') -%}
        {%- if column['kind'] == 'number' -%}
            {%- set bound = segmentation.number_bound(column['name']) -%}
            {#- A number-shaped value that does not cast overflows the type (1e400). -#}
            {%- do checks.append({'code': 'out_of_range',
                'condition': column['name'] ~ '_raw is not null and (' ~ column['name'] ~ ' is null or abs('
                    ~ column['name'] ~ ') > ' ~ bound ~ ')',
                'message': "'" ~ column['name'] ~ " is out of range (magnitude above 10^" ~ (bound | length - 1) ~ "): ' || "
                    ~ shown[column['name']]}) -%}
        {%- else -%}
            {%- do checks.append({'code': 'out_of_range',
                'condition': column['name'] ~ ' < cast(' ~ settings['min_timestamp'] ~ ' as ' ~ dbt.type_timestamp() ~ ')',
                'message': "'" ~ column['name'] ~ " is before var segmentation__min_timestamp (' || "
                    ~ settings['min_timestamp'] ~ " || '): ' || " ~ shown[column['name']]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in columns if column['kind'] in ('timestamp', 'date') -%}
        {%- do checks.append({'code': 'future_timestamp',
            'condition': column['name'] ~ ' > ' ~ segmentation.future_cutoff(),
            'message': "'" ~ column['name'] ~ " is in the future: ' || " ~ shown[column['name']]}) -%}
    {%- endfor -%}
    {{ return(checks + extra_checks) }}
{%- endmacro %}
