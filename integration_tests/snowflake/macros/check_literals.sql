{#- Round-trips each value through segmentation.sql_literal on the connected
    engine (Snowflake rules under dbt-snowflake) and raises when one does not
    come back exactly: `dbt run-operation check_literals --args '{values: [...]}'`. -#}
{% macro check_literals(values) %}
    {%- set selects = [] -%}
    {%- for value in values -%}
        {%- do selects.append('select ' ~ loop.index ~ ' as position, ' ~ segmentation.sql_literal(value) ~ ' as value') -%}
    {%- endfor -%}
    {%- set rows = run_query(selects | join(' union all ') ~ ' order by position').rows -%}
    {%- for row in rows -%}
        {%- set expected = values[loop.index0] -%}
        {%- if row[1] != expected -%}
            {{ exceptions.raise_compiler_error('literal ' ~ loop.index ~ ' came back as ' ~ row[1] | tojson
                ~ ', expected ' ~ expected | tojson) }}
        {%- endif -%}
    {%- endfor -%}
    {{ log('segmentation.sql_literal round-tripped ' ~ rows | length ~ ' hostile values', info=True) }}
{% endmacro %}
