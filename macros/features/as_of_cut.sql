{#- The as-of cut of an `_as_of` view: `from ... <as_of_cut>` keeps the rows
    whose `date_expression` is on or before the as-of date. When the view is
    built, int_segmentation__as_of already holds the date (it is upstream), so
    the date is written into the view as a literal: the engine then estimates
    the cut from column statistics. As a join to the as-of row, DuckDB
    estimated 97 of 49M events at 1M customers and built a hash table on the
    events, so recomputing a third of the customers' feature state took 36 s
    instead of 4.5 (docs/decisions/0025). Before the as-of table exists (a
    first `dbt compile`) and in a dbt unit test (whose as-of row is a fixture)
    the view joins the as-of row instead. A view is rebuilt by every build of
    its model, as `int_segmentation__as_of+` selects. -#}
{% macro as_of_cut(date_expression) %}
    {%- set literal = segmentation.as_of_literal() -%}
    {%- if literal is none -%}
    cross join (select as_of_date from {{ ref('int_segmentation__as_of') }}) as as_of
    where {{ date_expression }} <= as_of.as_of_date
    {%- else -%}
    where {{ date_expression }} <= {{ literal }}
    {%- endif -%}
{% endmacro %}


{#- The as-of date as a SQL date literal, read from int_segmentation__as_of at
    run time; none when it cannot be read (see as_of_cut). -#}
{% macro as_of_literal() %}
    {%- if not execute or this is none -%}{{ return(none) }}{%- endif -%}
    {%- set relation = ref('int_segmentation__as_of') -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema,
                                         identifier=relation.identifier) -%}
    {%- if found is none -%}{{ return(none) }}{%- endif -%}
    {%- set rows = run_query('select cast(as_of_date as ' ~ dbt.type_string() ~ ') from ' ~ relation).rows -%}
    {%- if rows | length != 1 or rows[0][0] is none -%}{{ return(none) }}{%- endif -%}
    {{ return('cast(' ~ segmentation.sql_literal(rows[0][0] | string) ~ ' as date)') }}
{% endmacro %}
