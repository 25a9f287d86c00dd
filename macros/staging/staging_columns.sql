{#- Select lists that staging models share, generated from the input contract
    so that every input casts and checks a column the same way. -#}

{#- Every contract column as trimmed text `<column>_raw`; empty text is null. -#}
{% macro raw_text_columns(input_name) %}
    {%- for column in segmentation.input_contract()[input_name]['columns'] %}
        nullif(trim(cast({{ column['name'] }} as {{ dbt.type_string() }})), '') as {{ column['name'] }}_raw
        {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- Every contract column cast to its type: timestamps and dates with
    `parse_timestamp` (offsets to UTC, naive values from var
    segmentation__source_timezone), numbers with `safe_cast`. Unparseable text
    casts to null here and the row checks report it. -#}
{% macro typed_columns(input_name) %}
    {%- set columns = segmentation.input_contract()[input_name]['columns'] %}
    {%- for column in columns %}
        {% if column['kind'] == 'string' -%}
            {{ column['name'] }}_raw as {{ column['name'] }}
        {%- elif column['kind'] in ('timestamp', 'date') -%}
            {{ segmentation.parse_timestamp(column['name'] ~ '_raw', column['kind']) }} as {{ column['name'] }}
        {%- else -%}
            {{ segmentation.safe_cast(column['name'] ~ '_raw', segmentation.type_for_kind(column['kind'])) }} as {{ column['name'] }}
        {%- endif -%}
        {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The raw values of a row as JSON text, PII redacted: for the audit of a
    rejected row and to order the copies of a duplicate key. -#}
{% macro raw_values(input_name) %}
    {%- set columns = segmentation.input_contract()[input_name]['columns'] | rejectattr('load_time') | list -%}
    {{ segmentation.raw_values_json(
        columns | map(attribute='name') | list, '_raw', segmentation.redacted_columns(input_name)
    ) }}
{%- endmacro %}


{#- The contract columns by name, optionally qualified, for a final select list. -#}
{% macro contract_column_list(input_name, relation_alias=none) %}
    {%- for column in segmentation.input_contract()[input_name]['columns'] %}
        {{ relation_alias ~ '.' if relation_alias }}{{ column['name'] }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The input's contract columns (checked by `select_input`) as trimmed text
    `<column>_raw` and cast to their types; `join` (SQL after the from clause)
    may filter the raw rows. In an incremental build only the window's rows
    are read (`judged_input`). -#}
{% macro typed_input(input_name, join='') %}
    select
        raw_text.*,
        {{ segmentation.typed_columns(input_name) }}
    from (
        select
            {{ segmentation.raw_text_columns(input_name) }}
            {%- if segmentation.incremental_window_spec_exists(input_name) %}
            {%- set window = segmentation.window_input_columns(input_name, 'source') %},
            {{ window['day'] }} as window_day,
            {{ window['loaded'] }} as window_loaded,
            {{ window['key'] }} as window_key
            {%- endif %}
        from ({{ segmentation.judged_input(input_name) }}) as source
    ) as raw_text
    {{ join }}
{%- endmacro %}
