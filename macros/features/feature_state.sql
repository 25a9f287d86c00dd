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
    recomputed when the model's SQL, its settings or the package's state logic
    change (`state_key`), as in a first build. -#}

{% macro feature_state_materialization() %}
    {{ return('incremental' if segmentation.setting('segmentation__incremental_features') else 'table') }}
{% endmacro %}


{#- is_incremental(), false in a dbt unit test (which has no `this`). -#}
{% macro feature_state_is_incremental() %}
    {{ return(this is not none and is_incremental()) }}
{% endmacro %}


{#- The post-hook of a feature state model: the rows of customers whose input
    rows are all gone (null fingerprint) are deleted. -#}
{% macro feature_state_cleanup() %}
    {%- if not segmentation.feature_state_is_incremental() -%}{{ return('') }}{%- endif -%}
    {{ return('delete from ' ~ this ~ ' where input_fingerprint is null') }}
{% endmacro %}


{#- The settings and SQL a state row was computed under, as one fingerprint. -#}
{% macro feature_state_key(setting_names) %}
    {#- Bump when a change of the package's macros alters the state of unchanged input. -#}
    {%- set feature_state_logic_version = 1 -%}
    {%- set parts = [feature_state_logic_version, model.raw_code if model is mapping else '', project_name] -%}
    {%- for name in setting_names -%}
        {%- do parts.append([name, segmentation.setting(name)]) -%}
    {%- endfor -%}
    {%- for input_name in ['orders', 'order_items', 'events', 'marketing_touches'] -%}
        {%- do parts.append([input_name, segmentation.is_input_enabled(input_name)]) -%}
    {%- endfor -%}
    {{ return(local_md5(tojson(parts))) }}
{% endmacro %}


{#- The state key as SQL: the key of feature_state_key, followed by `key_sql`
    (SQL of a text value) when the state also depends on a statistic over
    every customer (say the median price of each category): when it moves,
    every customer is recomputed. -#}
{% macro feature_state_key_sql(setting_names, key_sql=none) %}
    {%- set literal = "'" ~ segmentation.feature_state_key(setting_names) ~ "'" -%}
    {%- if key_sql is none -%}{{ return(literal) }}{%- endif -%}
    {{ return(literal ~ " || '|' || coalesce((" ~ key_sql ~ "), '')") }}
{% endmacro %}


{#- The fingerprint of each customer's rows of `relation` (SQL of a relation
    with a customer_id): the count and the sum of a hash of `columns`. -#}
{% macro input_fingerprint(relation, columns) %}
    {%- set text = dbt.type_string() -%}
    {%- set expressions = [] -%}
    {%- for name in columns -%}
        {%- do expressions.append('cast(fingerprinted.' ~ name ~ ' as ' ~ text ~ ')') -%}
    {%- endfor -%}
    select
        fingerprinted.customer_id,
        cast(count(*) as {{ text }}) || ':'
            || cast(sum({{ segmentation.row_hash(expressions) }} % 1000000007) as {{ text }}) as input_fingerprint
    from {{ relation }} as fingerprinted
    group by fingerprinted.customer_id
{%- endmacro %}


{#- The customers to (re)compute, with their current fingerprint (null: no rows
    left): every customer in a full build; in an incremental build those whose
    fingerprint differs from the stored one, or whose state was computed under
    another `state_key`. `fingerprints`: a relation of customer_id and
    input_fingerprint; `key_sql`: see feature_state_key_sql. -#}
{% macro changed_customers(fingerprints, setting_names, key_sql=none) %}
    {%- set key = segmentation.feature_state_key_sql(setting_names, key_sql) -%}
    {%- if segmentation.feature_state_is_incremental() -%}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set current = 'input_fingerprint' in stored_columns and 'state_key' in stored_columns -%}
    select
        coalesce(current_fingerprints.customer_id, stored.customer_id) as customer_id,
        current_fingerprints.input_fingerprint
    from {{ fingerprints }} as current_fingerprints
    full outer join (
        select distinct
            customer_id
            {%- if current %},
            input_fingerprint,
            state_key
            {%- endif %}
        from {{ this }}
    ) as stored
        on current_fingerprints.customer_id = stored.customer_id
    {%- if current %}
    where stored.customer_id is null
        or current_fingerprints.customer_id is null
        or stored.input_fingerprint <> current_fingerprints.input_fingerprint
        or stored.state_key <> {{ key }}
        or stored.state_key is null
    {%- endif %}
    {%- else -%}
    select customer_id, input_fingerprint
    from {{ fingerprints }}
    {%- endif -%}
{% endmacro %}


{#- Keeps the input rows of the customers being computed (all in a full build). -#}
{% macro only_changed_customers(alias) %}
    {%- if segmentation.feature_state_is_incremental() -%}
    where {{ alias }}.customer_id in (select changed.customer_id from changed_customers as changed)
    {%- endif -%}
{% endmacro %}
