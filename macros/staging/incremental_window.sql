{#- Incremental staging (docs/decisions/0023). A base model of a growing input
    (orders, order_items, events, marketing_touches) is a dbt incremental model:
    a build after the first re-judges only its *window*, the input rows that
    can have changed, and keeps every other verdict, accepted or rejected.

    The window (W0) is every row that
    - has its event time on or after the newest accepted event time minus var
      `segmentation__incremental_lookback_days`, or no parseable time;
    - or falls on a day whose number of input rows differs from the number of
      stored verdicts of that day (rows added or deleted on any day: late rows
      of any age, erasures);
    - or has `loaded_at` on or after the newest `loaded_at` seen (new or updated
      rows, when the input carries the optional load-time column);
    - or belongs to a parent whose verdict changed: a customer (or, for order
      lines, an order) that is no longer accepted, or newly accepted, or (lines)
      an order judged since the lines' last build;
    and then every row that shares a duplicate key with one of those (so a
    duplicate is judged against everything accepted before, exactly as in a
    full build). The stored verdicts of the window are deleted and the window's
    input rows are judged again by the same SQL as a full build.
    Everything is re-judged when there is no stored verdict yet or a setting
    that changes verdicts (or the package version) differs from the stored one.

    The pre-hooks below run before the model's select, in its transaction on
    DuckDB. If a build stops between the delete and the insert (Snowflake runs
    them as separate statements), the next build's window starts earlier and
    covers the deleted rows. -#}

{#- What defines the window of each incremental input: its event time, the
    columns whose equal values make duplicate candidates, and its parent. -#}
{% macro incremental_window_spec(input_name) %}
    {{ return({
        'orders': {'time': 'ordered_at', 'key': ['order_id'],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'events': {'time': 'occurred_at', 'key': ['customer_id', 'occurred_at'],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'marketing_touches': {'time': 'sent_at', 'key': ['customer_id', 'campaign_id', 'channel', 'sent_at'],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'order_items': {'time': none, 'key': [],
                   'parent': 'orders', 'parent_column': 'order_id', 'parent_code': 'unknown_order'},
    }[input_name]) }}
{% endmacro %}


{#- The base model's materialization: incremental unless var
    segmentation__incremental_staging is false. -#}
{% macro staging_materialization() %}
    {{ return('incremental' if segmentation.setting('segmentation__incremental_staging') else 'table') }}
{% endmacro %}


{#- The pre-hooks of an incremental base model, as Jinja rendered at run time. -#}
{% macro incremental_window_hooks(input_name) %}
    {%- set hooks = [] -%}
    {%- for step in ['cutoffs', 'parents', 'days', 'rows', 'delete'] -%}
        {%- do hooks.append("{{ segmentation.incremental_window_step('" ~ input_name ~ "', '" ~ step ~ "') }}") -%}
    {%- endfor -%}
    {{ return(hooks) }}
{% endmacro %}


{#- The settings that decide verdicts, as one fingerprint stored with every
    verdict: when it differs, the window is the whole input. -#}
{% macro validation_key(input_name) %}
    {#- Bump when a change of the package alters verdicts of unchanged rows. -#}
    {%- set staging_logic_version = 1 -%}
    {%- set parts = [
        staging_logic_version,
        segmentation.input_contract()[input_name],
        segmentation.input_relation(input_name).include(database=false) | string,
        project_name,
    ] -%}
    {%- for name in ['segmentation__event_types', 'segmentation__source_timezone', 'segmentation__min_timestamp',
                     'segmentation__timestamp_formats', 'segmentation__future_cutoff',
                     'segmentation__redact_pii_in_rejected_rows'] -%}
        {%- do parts.append(segmentation.setting(name)) -%}
    {%- endfor -%}
    {#- The input's columns and types: a column added (say `loaded_at`) or retyped re-judges all. -#}
    {%- if execute -%}
        {%- set relation = segmentation.input_relation(input_name) -%}
        {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if found is not none -%}
            {%- for column in adapter.get_columns_in_relation(found) -%}
                {%- do parts.append((column.name | lower) ~ ' ' ~ column.data_type) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(local_md5(tojson(parts))) }}
{% endmacro %}


{#- A work table of the window, private to the build's connection. -#}
{% macro window_relation(step) %}
    {{ return(adapter.dispatch('window_relation', 'segmentation')(step)) }}
{% endmacro %}

{% macro default__window_relation(step) -%}
    {{ this.database }}.{{ this.schema }}.{{ this.identifier }}__window_{{ step }}
{%- endmacro %}

{% macro duckdb__window_relation(step) -%}
    {{ this.identifier }}__window_{{ step }}
{%- endmacro %}


{#- A typed expression of one contract column of `alias`, exactly as staging
    types it (trim, empty to null, parse or cast). -#}
{% macro window_typed_column(input_name, column_name, alias) %}
    {%- set column = segmentation.input_contract()[input_name]['columns'] | selectattr('name', 'equalto', column_name) | first -%}
    {%- set raw = "nullif(trim(cast(" ~ alias ~ "." ~ column_name ~ " as " ~ dbt.type_string() ~ ")), '')" -%}
    {%- if column['kind'] == 'string' -%}
        {{ return(raw) }}
    {%- elif column['kind'] in ('timestamp', 'date') -%}
        {{ return(segmentation.parse_timestamp(raw, column['kind'])) }}
    {%- else -%}
        {{ return(segmentation.safe_cast(raw, segmentation.type_for_kind(column['kind']))) }}
    {%- endif -%}
{% endmacro %}


{#- W0 over a row: `typed(column)` gives the row's typed value of a column.
    `with_counts`: with the rows of changed days (buckets). -#}
{% macro window_condition(input_name, typed, with_counts=true) %}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- set cutoffs = segmentation.window_relation('cutoffs') -%}
    {%- set parents = segmentation.window_relation('parents') -%}
    {%- set terms = ['(select judge_all from ' ~ cutoffs ~ ')'] -%}
    {%- if spec['time'] -%}
        {%- do terms.append(typed[spec['time']] ~ ' is null') -%}
        {%- do terms.append(typed[spec['time']] ~ ' >= (select time_cutoff from ' ~ cutoffs ~ ')') -%}
        {%- if with_counts -%}
        {%- do terms.append('cast(' ~ typed[spec['time']] ~ ' as date) in (select changed_day from '
            ~ segmentation.window_relation('days') ~ ')') -%}
        {%- endif -%}
    {%- elif with_counts -%}
        {%- do terms.append(segmentation.window_bucket(typed) ~ ' in (select changed_bucket from '
            ~ segmentation.window_relation('days') ~ ')') -%}
    {%- endif -%}
    {%- do terms.append(typed['loaded_at'] ~ ' >= (select loaded_cutoff from ' ~ cutoffs ~ ')') -%}
    {%- do terms.append(typed[spec['parent_column']] ~ ' in (select parent_key from ' ~ parents ~ ')') -%}
    {{ return('(' ~ terms | join('\n        or ') ~ ')') }}
{% endmacro %}


{#- One of 4096 buckets of a row's parent key (order lines, which have no time). -#}
{% macro window_bucket(typed) -%}
    ({{ segmentation.row_hash([typed['order_id']]) }} % 4096)
{%- endmacro %}


{#- The duplicate-candidate key over typed values (null when the input has none). -#}
{% macro window_key(input_name, typed) %}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- if not spec['key'] -%}{{ return(none) }}{%- endif -%}
    {%- set expressions = [] -%}
    {%- for name in spec['key'] -%}{%- do expressions.append(typed[name]) -%}{%- endfor -%}
    {{ return(segmentation.row_hash(expressions)) }}
{% endmacro %}


{#- {column: typed expression} for the window's columns: from the raw input
    `alias` (`from_input`), or the stored, already typed verdicts (unqualified:
    a delete takes no alias on every engine). -#}
{% macro window_columns(input_name, alias, from_input) %}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- set names = spec['key'] + ['loaded_at', spec['parent_column']] + ([spec['time']] if spec['time'] else []) -%}
    {%- set typed = {} -%}
    {%- for name in names -%}
        {%- do typed.update({name: segmentation.window_typed_column(input_name, name, alias) if from_input
            else name}) -%}
    {%- endfor -%}
    {{ return(typed) }}
{% endmacro %}


{#- One step of the window, as SQL (empty unless the build is incremental). -#}
{% macro incremental_window_step(input_name, step) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- set cutoffs = segmentation.window_relation('cutoffs') -%}
    {%- set parents = segmentation.window_relation('parents') -%}
    {%- set rows = segmentation.window_relation('rows') -%}
    {%- set lookback = segmentation.setting('segmentation__incremental_lookback_days') -%}
    {%- set parent_model = ref('base_segmentation__' ~ spec['parent']) -%}
    {%- set stored = segmentation.window_columns(input_name, 'stored', false) -%}
    {%- set source = segmentation.window_columns(input_name, 'source', true) -%}

    {%- if step == 'cutoffs' -%}
-- The stored verdicts' watermarks, read before any is deleted.
create or replace temporary table {{ cutoffs }} as
select
    count(*) = 0
        or count(case when validation_key <> '{{ segmentation.validation_key(input_name) }}' or validation_key is null then 1 end) > 0
        {%- if spec['time'] %}
        or max(case when rejection_reason_code is null then {{ spec['time'] }} end) is null
        {%- endif %} as judge_all,
    {%- if spec['time'] %}
    {{ dbt.dateadd('day', -lookback, 'max(case when rejection_reason_code is null then ' ~ spec['time'] ~ ' end)') }} as time_cutoff,
    {%- endif %}
    max(loaded_at) as loaded_cutoff,
    max(judged_at) as judged_cutoff
from {{ this }}

    {%- elif step == 'parents' -%}
-- Parents whose verdict changed since these rows were judged.
create or replace temporary table {{ parents }} as
with accepted_parents as (
    select {{ spec['parent_column'] }} as parent_key
    from {{ parent_model }}
    where rejection_reason_code is null
)
-- accepted here, but the parent is no longer accepted (deleted or rejected)
select stored.{{ spec['parent_column'] }} as parent_key
from {{ this }} as stored
where stored.rejection_reason_code is null
    and stored.{{ spec['parent_column'] }} not in (select parent_key from accepted_parents)
union
-- rejected for an unknown parent that is now accepted
select stored.{{ spec['parent_column'] }}
from {{ this }} as stored
where stored.rejection_reason_code = '{{ spec['parent_code'] }}'
    and stored.{{ spec['parent_column'] }} in (select parent_key from accepted_parents)
{%- if spec['parent'] == 'orders' %}
union
-- orders judged since these lines were: new, late, corrected or newly rejected
select parent.order_id
from {{ parent_model }} as parent
where parent.judged_at > coalesce((select judged_cutoff from {{ cutoffs }}), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
    and parent.order_id is not null
{%- endif %}

    {%- elif step == 'days' and spec['time'] -%}
-- Days whose input rows were added or deleted since the verdicts were stored.
{%- set day = 'cast(' ~ source[spec['time']] ~ ' as date)' %}
create or replace temporary table {{ segmentation.window_relation('days') }} as
with input_days as (
    select {{ day }} as day, count(*) as row_count
    from ({{ segmentation.select_input(input_name) }}) as source
    group by 1
),
stored_days as (
    select cast({{ spec['time'] }} as date) as day, count(*) as row_count
    from {{ this }}
    group by 1
)
select coalesce(input_days.day, stored_days.day) as changed_day
from input_days
full outer join stored_days
    on input_days.day = stored_days.day
where coalesce(input_days.row_count, 0) <> coalesce(stored_days.row_count, 0)

    {%- elif step == 'days' -%}
-- Order lines have no time: lines outside the window so far, counted per
-- bucket of their order id; a bucket whose count changed is judged again
-- (lines added to or deleted from an order that is itself unchanged).
create or replace temporary table {{ segmentation.window_relation('days') }} as
with input_buckets as (
    select {{ segmentation.window_bucket(source) }} as bucket, count(*) as row_count
    from ({{ segmentation.select_input(input_name) }}) as source
    where not coalesce({{ segmentation.window_condition(input_name, source, with_counts=false) }}, false)
    group by 1
),
stored_buckets as (
    select {{ segmentation.window_bucket(stored) }} as bucket, count(*) as row_count
    from {{ this }}
    where not coalesce({{ segmentation.window_condition(input_name, stored, with_counts=false) }}, false)
    group by 1
)
select coalesce(input_buckets.bucket, stored_buckets.bucket) as changed_bucket
from input_buckets
full outer join stored_buckets
    on input_buckets.bucket = stored_buckets.bucket
where coalesce(input_buckets.row_count, 0) <> coalesce(stored_buckets.row_count, 0)

    {%- elif step == 'rows' -%}
-- The window's input rows: W0, and every row sharing a duplicate key with one.
create or replace temporary table {{ rows }} as
{%- set key = segmentation.window_key(input_name, source) %}
with source_rows as (
    select
        source.*,
        {{ segmentation.window_condition(input_name, source) }} as in_window
        {%- if key %},
        {{ key }} as window_key
        {%- endif %}
    from ({{ segmentation.select_input(input_name) }}) as source
)
select *
from source_rows
where in_window
{%- if key %}
    or window_key in (select window_key from source_rows where in_window)
{%- endif %}

    {%- elif step == 'delete' -%}
{%- set key = segmentation.window_key(input_name, stored) %}
delete from {{ this }}
where {{ segmentation.window_condition(input_name, stored) }}
{%- if key %}
    or {{ key }} in (select window_key from {{ rows }})
{%- endif %}
    {%- endif -%}
{% endmacro %}


{#- The rows a base model judges: the window in an incremental build, else
    the whole input. -#}
{% macro judged_input(input_name) %}
    {%- if segmentation.incremental_window_spec_exists(input_name) and is_incremental() -%}
    select
    {%- for column in segmentation.input_contract()[input_name]['columns'] %}
        {{ column['name'] }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ segmentation.window_relation('rows') }}
    {%- else -%}
    {{ segmentation.select_input(input_name) }}
    {%- endif -%}
{% endmacro %}


{% macro incremental_window_spec_exists(input_name) %}
    {{ return(input_name in ['orders', 'events', 'marketing_touches', 'order_items']) }}
{% endmacro %}
