{#- Incremental feature state (docs/decisions/0025). A per-customer feature
    model that aggregates a large input (events, orders, order lines) is a dbt
    incremental model keyed by customer: a build after the first recomputes
    only the customers whose input rows up to the as-of date changed, with the
    same SQL as a full build, and keeps every other customer's row.

    A customer's rows are "changed" when their *input fingerprint* differs from
    the one stored with the customer's state: the count of the customer's rows
    read by the model and the sum of a hash of the columns it reads. Rows
    added, deleted, corrected, or moved under the as-of date change it; a row
    judged again with the same values does not (the staging window re-judges
    a few days of rows every build). A customer whose rows are all gone gets a
    row with a null fingerprint, which the post-hook deletes. Everything is
    recomputed when the model's SQL, its settings, a global statistic it
    depends on or the package's state logic change (`state_key`).

    In an incremental build a pre-hook writes the changed customers to a work
    table (as the staging window does): the model's query then reads a table
    whose size the engine knows, so a quiet day costs a scan of the
    fingerprinted columns and little else. -#}

{#- Per state model: the vars it reads; the parts of its fingerprint, each
    either a relation and the columns the model reads from it, or a state
    model built before whose `input_fingerprint` covers the same rows; and
    (`key`) a relation of global statistics, by name and value, that are part
    of the key. -#}
{% macro feature_state_specs() %}
    {{ return({
        'int_segmentation__customer_events': {
            'settings': ['segmentation__purchase_event_types', 'segmentation__cart_event_types',
                         'segmentation__mobile_device_types', 'segmentation__app_platforms'],
            'parts': [{'ref': 'int_segmentation__events_as_of',
                       'columns': ['session_key', 'event_type', 'device_type', 'os', 'browser', 'platform']}],
        },
        'int_segmentation__category_spend': {
            'settings': [],
            'parts': [{'ref': 'int_segmentation__order_lines',
                       'columns': ['order_id', 'category', 'quantity', 'unit_price']}],
        },
        'int_segmentation__order_habits': {
            'settings': ['segmentation__returned_statuses'],
            'parts': [{'ref': 'int_segmentation__orders_as_of',
                       'columns': ['order_id', 'channel', 'status', 'order_total', 'discount_total', 'ordered_at']},
                      {'ref': 'int_segmentation__category_spend', 'stored': true}],
        },
        'int_segmentation__price_habits': {
            'settings': ['segmentation__premium_price_ratio', 'segmentation__value_price_ratio'],
            'parts': [{'ref': 'int_segmentation__category_spend', 'stored': true}],
            'key': {'ref': 'int_segmentation__category_prices', 'name': 'category', 'value': 'median_unit_price'},
        },
    }) }}
{% endmacro %}


{% macro feature_state_spec(name) %}
    {{ return(segmentation.feature_state_specs()[name]) }}
{% endmacro %}


{% macro feature_state_materialization() %}
    {{ return('incremental' if segmentation.setting('segmentation__incremental_features') else 'table') }}
{% endmacro %}


{#- is_incremental(), false in a dbt unit test (which has no `this`). -#}
{% macro feature_state_is_incremental() %}
    {{ return(this is not none and is_incremental()) }}
{% endmacro %}


{#- The config of a state model: delete+insert by customer, the changed
    customers found by a pre-hook, customers without rows deleted and the
    work table dropped by post-hooks. -#}
{% macro feature_state_hooks(name) %}
    {{ return(["{{ segmentation.feature_state_changes('" ~ name ~ "') }}"]) }}
{% endmacro %}

{% macro feature_state_cleanup_hooks() %}
    {{ return(["{{ segmentation.feature_state_cleanup() }}", "{{ segmentation.incremental_window_drop('changed') }}"]) }}
{% endmacro %}


{#- Post-hook: the rows of customers whose input rows are all gone (null
    fingerprint) are deleted. -#}
{% macro feature_state_cleanup() %}
    {%- if not segmentation.feature_state_is_incremental() -%}{{ return('') }}{%- endif -%}
    {{ return('delete from ' ~ this ~ ' where input_fingerprint is null') }}
{% endmacro %}


{#- The settings and SQL a state row was computed under, as one fingerprint. -#}
{% macro feature_state_key_literal(name) %}
    {#- Bump when a change of the package's macros alters the state of unchanged input. -#}
    {%- set feature_state_logic_version = 1 -%}
    {%- set parts = [feature_state_logic_version, model.raw_code if model is mapping else '', project_name] -%}
    {%- for name in segmentation.feature_state_spec(name)['settings'] -%}
        {%- do parts.append([name, segmentation.setting(name)]) -%}
    {%- endfor -%}
    {%- for input_name in segmentation.input_contract() -%}
        {%- do parts.append([input_name, segmentation.is_input_enabled(input_name)]) -%}
    {%- endfor -%}
    {{ return(local_md5(tojson(parts))) }}
{% endmacro %}


{#- The state key as SQL: the literal key, followed by the rows of the spec's
    `key` relation (global statistics, e.g. each category's median price) as
    text: when one moves, every customer is recomputed. -#}
{% macro feature_state_key(name) %}
    {%- set literal = "'" ~ segmentation.feature_state_key_literal(name) ~ "'" -%}
    {%- set key = segmentation.feature_state_spec(name).get('key') -%}
    {%- if key is none -%}{{ return(literal) }}{%- endif -%}
    {%- set text = dbt.type_string() -%}
    {%- set row = "coalesce(cast(key_rows." ~ key['name'] ~ " as " ~ text ~ "), '~') || '=' || coalesce(cast(key_rows."
        ~ key['value'] ~ " as " ~ text ~ "), '-')" -%}
    {{ return(literal ~ " || '|' || coalesce((select " ~ dbt.listagg(row, "','", "order by key_rows." ~ key['name'])
        ~ " from " ~ ref(key['ref']) ~ " as key_rows), '')") }}
{% endmacro %}


{#- The fingerprint of each customer's rows: per part, the count and the sum of
    a hash of the columns read (or a state model's stored fingerprint), joined
    as `part/part`. -#}
{% macro feature_state_fingerprints(name) %}
    {%- set parts = segmentation.feature_state_spec(name)['parts'] -%}
    {%- set selects = [] -%}
    {%- for part in parts -%}
        {%- if part.get('stored') -%}
            {%- do selects.append('select distinct customer_id, input_fingerprint from ' ~ ref(part['ref'])) -%}
        {%- else -%}
            {%- do selects.append(segmentation.input_fingerprint(ref(part['ref']), part['columns'])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if selects | length == 1 -%}{{ return(selects[0]) }}{%- endif -%}
    select
        coalesce({% for part in parts %}part{{ loop.index }}.customer_id{{ ', ' if not loop.last }}{% endfor %}) as customer_id,
        {% for part in parts -%}
        coalesce(part{{ loop.index }}.input_fingerprint, '-'){{ " || '/' || " if not loop.last }}
        {%- endfor %} as input_fingerprint
    from ({{ selects[0] }}) as part1
    {%- for select in selects[1:] %}
    full outer join ({{ select }}) as part{{ loop.index + 1 }}
        on part1.customer_id = part{{ loop.index + 1 }}.customer_id
    {%- endfor %}
{%- endmacro %}


{#- The fingerprint of each customer's rows of `relation`: the count and the
    sum of a hash of `columns` (typed: the engine hashes each value). -#}
{% macro input_fingerprint(relation, columns) %}
    {%- set text = dbt.type_string() -%}
    {%- set expressions = [] -%}
    {%- for name in columns -%}
        {%- do expressions.append('fingerprinted.' ~ name) -%}
    {%- endfor -%}
    select
        fingerprinted.customer_id,
        cast(count(*) as {{ text }}) || ':'
            || cast(sum({{ segmentation.row_hash(expressions) }} % 1000000007) as {{ text }}) as input_fingerprint
    from {{ relation }} as fingerprinted
    group by fingerprinted.customer_id
{%- endmacro %}


{#- Pre-hook: in an incremental build, the customers to recompute, with their
    current fingerprint (null: no rows left), into a work table: those whose
    fingerprint differs from the stored one, new and vanished ones, and every
    customer when a stored row's `state_key` differs. -#}
{% macro feature_state_changes(name) %}
    {%- if not segmentation.feature_state_is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set current = 'input_fingerprint' in stored_columns and 'state_key' in stored_columns -%}
{{ segmentation.window_create('changed') }}
with current_fingerprints as (
    {{ segmentation.feature_state_fingerprints(name) }}
),
stored as (
    select distinct
        customer_id
        {%- if current %},
        input_fingerprint,
        state_key
        {%- endif %}
    from {{ this }}
)
select
    coalesce(current_fingerprints.customer_id, stored.customer_id) as customer_id,
    current_fingerprints.input_fingerprint
from current_fingerprints
full outer join stored
    on current_fingerprints.customer_id = stored.customer_id
    {%- if current %}
where stored.customer_id is null
    or current_fingerprints.customer_id is null
    or stored.input_fingerprint <> current_fingerprints.input_fingerprint
    or stored.state_key <> {{ segmentation.feature_state_key(name) }}
    or stored.state_key is null
    {%- endif %}
{% endmacro %}


{#- The customers the model computes, with their fingerprint: the pre-hook's
    work table in an incremental build, every customer in a full build. -#}
{% macro changed_customers(name) %}
    {%- if segmentation.feature_state_is_incremental() -%}
    select customer_id, input_fingerprint from {{ segmentation.window_relation('changed') }}
    {%- else -%}
    {{ segmentation.feature_state_fingerprints(name) }}
    {%- endif -%}
{% endmacro %}


{#- Keeps the input rows of the customers being computed (all in a full build). -#}
{% macro only_changed_customers(alias) %}
    {%- if segmentation.feature_state_is_incremental() -%}
    where {{ alias }}.customer_id in (select changed.customer_id from {{ segmentation.window_relation('changed') }} as changed)
    {%- endif -%}
{% endmacro %}


{#- The state columns of a state model's final select, after `changed_customers`. -#}
{% macro feature_state_columns(name) -%}
    changed_customers.input_fingerprint,
        {{ segmentation.feature_state_key(name) }} as state_key,
        {{ segmentation.run_timestamp() }} as computed_at
{%- endmacro %}


{#- `as materialized` on DuckDB, whose planner otherwise inlines a CTE read by
    several others and repeats its scan; other engines decide themselves. -#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'segmentation')()) }}
{% endmacro %}

{% macro default__materialized_cte() %}{{ return('') }}{% endmacro %}

{% macro duckdb__materialized_cte() %}{{ return('materialized') }}{% endmacro %}
