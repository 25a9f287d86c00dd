{#- fakesnow cannot run Python models (no Snowpark). The table
    materialization here copies each Python model's DuckDB output, loaded by
    run_fakesnow.py into the table that var fakesnow_python_model_fixtures names
    for it, into the model's relation; SQL models go on to dbt-snowflake's own
    table materialization. -#}
{% materialization table, adapter='snowflake', supported_languages=['sql', 'python'] %}
  {%- if model['language'] != 'python' -%}
    {{ return(dbt.materialization_table_snowflake()) }}
  {%- endif -%}

  {%- set target_relation = api.Relation.create(
      identifier=model['alias'], schema=schema, database=database, type='table') -%}
  {%- set fixtures = var('fakesnow_python_model_fixtures') -%}
  {%- if model['name'] not in fixtures -%}
    {{ exceptions.raise_compiler_error("no fakesnow fixture for the Python model " ~ model['name']
        ~ "; add it to var fakesnow_python_model_fixtures and to run_fakesnow.py") }}
  {%- endif -%}
  {%- set fixture = fixtures[model['name']] -%}

  {{ run_hooks(pre_hooks) }}
  {% call statement('main') -%}
    create or replace table {{ target_relation }} as select * from {{ fixture }}
  {%- endcall %}
  {{ run_hooks(post_hooks) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
