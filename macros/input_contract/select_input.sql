{#- Selects an input's contract columns from its relation, in contract order.
    Stops the build with one clear message when the relation is missing or
    lacks a required column; optional columns it lacks become typed nulls. -#}
{% macro select_input(input_name) %}
    {%- set contract = segmentation.input_contract()[input_name] -%}
    {%- set relation = segmentation.input_relation(input_name) -%}
    {%- set present = {} -%}
    {%- if execute -%}
        {%- set fix = segmentation.input_fix_hint(input_name) -%}
        {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if found is none -%}
            {{ exceptions.raise_compiler_error(segmentation.input_not_found_message(input_name, relation)) }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
            {%- do present.update({column.name | lower: column.name}) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in contract['columns'] if column['required'] and column['name'] not in present -%}
            {%- do missing.append(column['name']) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "segmentation: input '" ~ input_name ~ "' (relation " ~ found ~ ") is missing required column"
                ~ ("s " if missing | length > 1 else " ") ~ "'" ~ (missing | join("', '")) ~ "'. " ~ fix) }}
        {%- endif -%}
    {%- endif %}
    select
    {%- for column in contract['columns'] %}
        {% if column['name'] in present or not execute -%}
            {{ adapter.quote(present.get(column['name'], column['name'])) }} as {{ column['name'] }}
        {%- else -%}
            cast(null as {{ segmentation.type_for_kind(column['kind']) }}) as {{ column['name'] }}
        {%- endif -%}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}


{#- What a user changes to fix an input problem: named once for every message. -#}
{% macro input_fix_hint(input_name) %}
    {%- set contract = segmentation.input_contract()[input_name] -%}
    {%- set hint = "Point the var 'segmentation__" ~ input_name ~ "_relation' at a relation (e.g. a view of yours) that has the columns of the input contract, or change the vars 'segmentation__source_schema' / 'segmentation__" ~ input_name ~ "_identifier'" -%}
    {%- if contract['optional'] -%}
        {%- set hint = hint ~ ", or switch the input off with 'segmentation__using_" ~ input_name ~ ": false'" -%}
    {%- endif -%}
    {{ return(hint ~ ". Required columns: " ~ (contract['columns'] | selectattr('required') | map(attribute='name') | join(', ')) ~ ".") }}
{% endmacro %}


{#- Why an input's relation does not exist, told apart by where the var points:
    a model or seed of the user's project that is not built yet (the var is right),
    a qualified relation that does not exist, or the package source. -#}
{% macro input_not_found_message(input_name, relation) %}
    {%- set var_name = 'segmentation__' ~ input_name ~ '_relation' -%}
    {%- set override = segmentation.setting(var_name) -%}
    {%- set head = "segmentation: input '" ~ input_name ~ "' not found: relation " ~ relation ~ " does not exist" -%}
    {%- if override is not none and override != '' and '.' not in override -%}
        {{ return(head ~ " yet. It is your model or seed '" ~ override ~ "' (var '" ~ var_name
            ~ "'), which has not been built in this database: build it first, e.g. `dbt build"
            ~ " --select +package:segmentation` builds your upstream models and seeds with the package"
            ~ " (`--select segmentation` alone does not), or check that the var names the right model.") }}
    {%- elif override is not none and override != '' -%}
        {{ return(head ~ ". The var '" ~ var_name ~ "' is '" ~ override ~ "': check its schema and table"
            ~ " name (unquoted names are matched as the warehouse stores them), or name a model of your"
            ~ " project instead so that dbt builds it first. " ~ segmentation.input_fix_hint(input_name)) }}
    {%- endif -%}
    {{ return(head ~ ". No var '" ~ var_name ~ "' is set, so the package reads its source"
        ~ " (vars 'segmentation__source_schema' / 'segmentation__" ~ input_name ~ "_identifier'). "
        ~ segmentation.input_fix_hint(input_name)) }}
{% endmacro %}
