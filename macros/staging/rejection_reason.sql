{#- Two columns, `rejection_reason_code` and `rejection_message`: the first
    row-level check that a row fails, in a fixed order, or null for a good row.
    Checks from the contract come first (null key, missing required value,
    unparseable timestamp or number, future timestamp); `extra_checks` are
    the input's own ({'code', 'condition', 'message'}, message a SQL expression).
    Checks that need other rows (duplicates, unknown parents) live in the model. -#}
{% macro rejection_reason(input_name, key_columns=[], extra_checks=[]) %}
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
    {%- for column in columns if column['kind'] in ('timestamp', 'date', 'number') -%}
        {%- set code = 'unparseable_number' if column['kind'] == 'number' else 'unparseable_timestamp' -%}
        {%- set what = 'a number' if column['kind'] == 'number' else 'a ' ~ column['kind'] -%}
        {%- do checks.append({'code': code,
            'condition': column['name'] ~ '_raw is not null and ' ~ column['name'] ~ ' is null',
            'message': "'" ~ column['name'] ~ " is not " ~ what ~ ": ' || " ~ shown[column['name']]}) -%}
    {%- endfor -%}
    {%- for column in columns if column['kind'] in ('timestamp', 'date') -%}
        {%- do checks.append({'code': 'future_timestamp',
            'condition': column['name'] ~ ' > ' ~ segmentation.future_cutoff(),
            'message': "'" ~ column['name'] ~ " is in the future: ' || " ~ shown[column['name']]}) -%}
    {%- endfor -%}
    {%- set checks = checks + extra_checks %}
        case
        {%- for check in checks %}
            when {{ check['condition'] }} then '{{ check['code'] }}'
        {%- endfor %}
        end as rejection_reason_code,
        case
        {%- for check in checks %}
            when {{ check['condition'] }} then {{ check['message'] }}
        {%- endfor %}
        end as rejection_message
{%- endmacro %}
