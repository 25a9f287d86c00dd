{#- Incremental staging (docs/decisions/0024). A base model of a growing input
    (orders, order_items, events, marketing_touches) is a dbt incremental model:
    a build after the first re-judges only its *window*, the input rows that
    can have changed, and keeps every other verdict, accepted or rejected.

    The window (W0) is every row that
    - falls on a day (the first ten characters of its raw event time) on or
      after the newest accepted event day minus var
      `segmentation__incremental_lookback_days`, or has no event time;
    - or falls on a day whose number of input rows differs from the number of
      stored verdicts of that day (rows added or deleted on any day: late rows
      of any age, erasures); order lines, which have no time, are counted per
      bucket of their order id instead, outside the rest of the window;
    - or has `loaded_at` later than the newest `loaded_at` seen (new or updated
      rows, when the input carries the optional load-time column);
    - or belongs to a parent whose verdict changed: a customer (or, for order
      lines, an order) that is no longer accepted, or newly accepted, or (lines)
      an order judged since the lines' last build;
    and then every row that shares a duplicate-candidate key with one of those
    (orders: order id; touches: customer, campaign and channel; an exact copy
    of an event falls on the same day), so a duplicate is judged against
    everything accepted before, exactly as in a full build.
    The window is found from raw text (no timestamp is parsed) by the same
    expressions over the input and over the columns stored with each verdict
    (`window_day`, `window_loaded`, `window_key`), so an unchanged input row
    is in the window exactly when its stored verdict is. The stored verdicts
    of the window are deleted and the window's input rows are judged again by
    the same SQL as a full build. Everything is judged again when there is no
    stored verdict yet or `validation_key` differs from the stored one.

    The pre-hooks below run before the model's select, in its transaction on
    DuckDB. If a build stops between the delete and the insert (Snowflake runs
    them as separate statements), the next build's window starts earlier and
    covers the deleted rows. -#}

{#- What defines the window of each incremental input: its event time, the
    columns whose equal values make duplicate candidates, and its parent. -#}
{% macro incremental_window_spec(input_name) %}
    {{ return(segmentation.incremental_window_specs()[input_name]) }}
{% endmacro %}


{% macro incremental_window_specs() %}
    {{ return({
        'orders': {'time': 'ordered_at', 'key': ['order_id'],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'events': {'time': 'occurred_at', 'key': [],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'marketing_touches': {'time': 'sent_at', 'key': ['customer_id', 'campaign_id', 'channel'],
                   'parent': 'customers', 'parent_column': 'customer_id', 'parent_code': 'unknown_customer'},
        'order_items': {'time': none, 'key': [],
                   'parent': 'orders', 'parent_column': 'order_id', 'parent_code': 'unknown_order'},
    }) }}
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


{#- `create ... as` for a work table: a temporary table on DuckDB; elsewhere a
    transient (Snowflake) or plain table in the model's schema, which the
    post-hook drops (a temporary table there would need the session's schema). -#}
{% macro window_create(step) %}
    {{ return(adapter.dispatch('window_create', 'segmentation')(step)) }}
{% endmacro %}

{% macro default__window_create(step) -%}
    create or replace table {{ segmentation.window_relation(step) }} as
{%- endmacro %}

{% macro snowflake__window_create(step) -%}
    create or replace transient table {{ segmentation.window_relation(step) }} as
{%- endmacro %}

{% macro duckdb__window_create(step) -%}
    create or replace temporary table {{ segmentation.window_relation(step) }} as
{%- endmacro %}


{#- The post-hooks of an incremental base model: its work tables dropped. -#}
{% macro incremental_window_cleanup_hooks() %}
    {%- set hooks = [] -%}
    {%- for step in ['cutoffs', 'parents', 'days', 'rows'] -%}
        {%- do hooks.append("{{ segmentation.incremental_window_drop('" ~ step ~ "') }}") -%}
    {%- endfor -%}
    {{ return(hooks) }}
{% endmacro %}

{% macro incremental_window_drop(step) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    {{ return('drop table if exists ' ~ segmentation.window_relation(step)) }}
{% endmacro %}


{#- The window's columns of the raw input rows `alias`: `day` and `loaded`
    from the untrimmed text (cheap; stored by `typed_input`), `key` (a hash of
    the trimmed duplicate-candidate columns, as duplicates are judged; order
    lines: of the order id) and `parent`, the trimmed parent id. -#}
{% macro window_input_columns(input_name, alias) %}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- set trimmed = {} -%}
    {%- for name in (spec['key'] or [spec['parent_column']]) + [spec['parent_column']] -%}
        {%- do trimmed.update({name: "nullif(trim(cast(" ~ alias ~ "." ~ name ~ " as " ~ dbt.type_string() ~ ")), '')"}) -%}
    {%- endfor -%}
    {%- set key_expressions = [] -%}
    {%- for name in spec['key'] or [spec['parent_column']] -%}{%- do key_expressions.append(trimmed[name]) -%}{%- endfor -%}
    {%- set text = 'cast(' ~ alias ~ '.{} as ' ~ dbt.type_string() ~ ')' -%}
    {#- The key below 10^18: a signed 64-bit integer on every engine (DuckDB's hash is unsigned). -#}
    {%- if spec['time'] -%}
        {%- set day = 'left(' ~ text.replace('{}', spec['time']) ~ ', 10)' -%}
    {%- else -%}
        {%- set day = 'cast(' ~ segmentation.row_hash([text.replace('{}', spec['parent_column'])]) ~ ' % 4096 as ' ~ dbt.type_string() ~ ')' -%}
    {%- endif -%}
    {{ return({
        'day': day,
        'loaded': text.replace('{}', 'loaded_at'),
        'key': 'cast(' ~ segmentation.row_hash(key_expressions) ~ ' % 1000000000000000000 as ' ~ dbt.type_bigint() ~ ')',
        'parent': trimmed[spec['parent_column']],
    }) }}
{% endmacro %}


{#- The same columns as stored with each verdict (unqualified: a delete takes
    no alias on every engine). -#}
{% macro window_stored_columns(input_name) %}
    {{ return({'day': 'window_day', 'loaded': 'window_loaded', 'key': 'window_key',
               'parent': segmentation.incremental_window_spec(input_name)['parent_column']}) }}
{% endmacro %}


{#- W0 over a row's window columns `w`, from the watermarks `cutoffs` (read
    at run time: terms that cannot hold are left out, so a quiet day reads
    little). `with_counts`: with the changed days (buckets). -#}
{% macro window_condition(input_name, w, cutoffs, with_counts=true) %}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- if cutoffs['judge_all'] -%}{{ return('(1 = 1)') }}{%- endif -%}
    {%- set terms = [] -%}
    {%- if spec['time'] -%}
        {%- do terms.append(w['day'] ~ ' is null') -%}
        {%- do terms.append(w['day'] ~ ' >= ' ~ segmentation.sql_literal(cutoffs['day_cutoff'])) -%}
    {%- endif -%}
    {%- if with_counts and cutoffs['changed_days'] -%}
        {%- do terms.append(w['day'] ~ ' in (select changed_day from ' ~ segmentation.window_relation('days') ~ ')') -%}
    {%- endif -%}
    {%- if cutoffs['loaded_cutoff'] is not none -%}
        {%- do terms.append(w['loaded'] ~ ' > ' ~ segmentation.sql_literal(cutoffs['loaded_cutoff'])) -%}
    {%- endif -%}
    {%- if cutoffs['parents'] -%}
        {%- do terms.append(w['parent'] ~ ' in (select parent_key from ' ~ segmentation.window_relation('parents') ~ ')') -%}
    {%- endif -%}
    {{ return('(' ~ (terms | join('\n        or ') if terms else '1 = 0') ~ ')') }}
{% endmacro %}


{#- One step of the window, as SQL (empty unless the build is incremental). -#}
{% macro incremental_window_step(input_name, step) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set spec = segmentation.incremental_window_spec(input_name) -%}
    {%- set cutoffs_relation = segmentation.window_relation('cutoffs') -%}
    {%- set parents = segmentation.window_relation('parents') -%}
    {%- set days = segmentation.window_relation('days') -%}
    {%- set rows = segmentation.window_relation('rows') -%}
    {%- set stored = segmentation.window_stored_columns(input_name) -%}
    {%- set source = segmentation.window_input_columns(input_name, 'source') -%}

    {%- if step == 'cutoffs' -%}
    {#- Verdicts stored by an older version of the package lack the window's
        columns: the window is then everything. -#}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set current = ['window_day', 'window_loaded', 'window_key', 'validation_key', 'judged_at']
        | reject('in', stored_columns) | list | length == 0 -%}
    {%- set lookback = segmentation.setting('segmentation__incremental_lookback_days') -%}
-- The stored verdicts' watermarks, read before any is deleted.
{{ segmentation.window_create('cutoffs') }}
    {%- if not current %}
select
    true as judge_all,
    cast(null as {{ dbt.type_string() }}) as day_cutoff,
    cast(null as {{ dbt.type_string() }}) as loaded_cutoff,
    cast(null as {{ dbt.type_timestamp() }}) as judged_cutoff
    {%- else %}
select
    count(*) = 0
        or count(case when validation_key <> '{{ segmentation.validation_key(input_name) }}' or validation_key is null then 1 end) > 0
        {%- if spec['time'] %}
        or max(case when rejection_reason_code is null then window_day end) is null
        {%- endif %} as judge_all,
    {%- if spec['time'] %}
    cast(cast({{ dbt.dateadd('day', -lookback, 'max(case when rejection_reason_code is null then ' ~ spec['time'] ~ ' end)') }} as date)
        as {{ dbt.type_string() }}) as day_cutoff,
    {%- else %}
    cast(null as {{ dbt.type_string() }}) as day_cutoff,
    {%- endif %}
    max(window_loaded) as loaded_cutoff,
    max(judged_at) as judged_cutoff
from {{ this }}
    {%- endif %}

    {%- elif step == 'parents' -%}
    {%- set cutoffs = segmentation.read_window_cutoffs(parents=false) -%}
    {%- set parent_model = ref('base_segmentation__' ~ spec['parent']) -%}
-- Parents whose verdict changed since these rows were judged.
{{ segmentation.window_create('parents') }}
    {%- if cutoffs['judge_all'] %}
select cast(null as {{ dbt.type_string() }}) as parent_key where 1 = 0
    {%- else %}
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
where parent.order_id is not null
    {%- if cutoffs['judged_cutoff'] is not none %}
    and parent.judged_at > cast('{{ cutoffs['judged_cutoff'] }}' as {{ dbt.type_timestamp() }})
    {%- endif %}
    {%- endif %}
    {%- endif %}

    {%- elif step == 'days' -%}
    {%- set cutoffs = segmentation.read_window_cutoffs() -%}
    {#- Order lines are counted outside the rest of the window only: a new
        order's lines would change nearly every bucket. -#}
-- Days (buckets) whose input rows were added or deleted since the verdicts were stored.
{{ segmentation.window_create('days') }}
    {%- if cutoffs['judge_all'] %}
select cast(null as {{ dbt.type_string() }}) as changed_day where 1 = 0
    {%- else %}
with input_days as (
    select {{ source['day'] }} as day, count(*) as row_count
    from ({{ segmentation.select_input(input_name) }}) as source
    {%- if not spec['time'] %}
    where not coalesce({{ segmentation.window_condition(input_name, source, cutoffs, with_counts=false) }}, false)
    {%- endif %}
    group by 1
),
stored_days as (
    select window_day as day, count(*) as row_count
    from {{ this }}
    {%- if not spec['time'] %}
    where not coalesce({{ segmentation.window_condition(input_name, stored, cutoffs, with_counts=false) }}, false)
    {%- endif %}
    group by 1
)
select coalesce(input_days.day, stored_days.day) as changed_day
from input_days
full outer join stored_days
    on input_days.day = stored_days.day
where coalesce(input_days.row_count, 0) <> coalesce(stored_days.row_count, 0)
    {%- endif %}

    {%- elif step == 'rows' -%}
    {%- set cutoffs = segmentation.read_window_cutoffs(counted=true) -%}
    {%- set keyed = spec['key'] | length > 0 and not cutoffs['judge_all'] %}
-- The window's input rows: W0, and every row sharing a duplicate key with one.
{{ segmentation.window_create('rows') }}
select source.*
from ({{ segmentation.select_input(input_name) }}) as source
where {{ segmentation.window_condition(input_name, source, cutoffs) }}
    {%- if keyed %}
    or {{ source['key'] }} in (
        select {{ source['key'] }}
        from ({{ segmentation.select_input(input_name) }}) as source
        where {{ segmentation.window_condition(input_name, source, cutoffs) }}
    )
    {%- endif %}

    {%- elif step == 'delete' -%}
    {%- set cutoffs = segmentation.read_window_cutoffs(counted=true) -%}
    {%- set keyed = spec['key'] | length > 0 and not cutoffs['judge_all'] %}
delete from {{ this }}
where {{ segmentation.window_condition(input_name, stored, cutoffs) }}
    {%- if keyed %}
    or window_key in (
        select {{ source['key'] }}
        from {{ rows }} as source
    )
    {%- endif %}
    {%- endif -%}
{% endmacro %}


{#- The watermarks written by the `cutoffs` step, and whether the parents
    (and, `counted`, the changed days) are any: read at run time, as a hook
    is rendered just before it runs. -#}
{% macro read_window_cutoffs(parents=true, counted=false) %}
    {%- set row = run_query('select * from ' ~ segmentation.window_relation('cutoffs')).rows[0] -%}
    {%- set cutoffs = {
        'judge_all': row[0] in (true, 1, 'true', 'True'),
        'day_cutoff': row[1],
        'loaded_cutoff': row[2],
        'judged_cutoff': row[3],
        'parents': 0,
        'changed_days': 0,
    } -%}
    {%- if not cutoffs['judge_all'] and parents -%}
        {%- set found = run_query('select count(*) from ' ~ segmentation.window_relation('parents')) -%}
        {%- do cutoffs.update({'parents': found.rows[0][0]}) -%}
        {%- if counted -%}
            {%- set days = run_query('select count(*) from ' ~ segmentation.window_relation('days')) -%}
            {%- do cutoffs.update({'changed_days': days.rows[0][0]}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(cutoffs) }}
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
    {{ return(input_name in segmentation.incremental_window_specs()) }}
{% endmacro %}
