{#- fakesnow cannot run Python models (no Snowpark). The table
    materialization here copies the Python model's DuckDB fit, loaded by
    run_fakesnow.py as var fakesnow_cluster_model_fixture, into the model's
    relation; SQL models go on to dbt-snowflake's own table materialization. -#}
{% materialization table, adapter='snowflake', supported_languages=['sql', 'python'] %}
  {%- if model['language'] != 'python' -%}
    {{ return(dbt.materialization_table_snowflake()) }}
  {%- endif -%}

  {%- set target_relation = api.Relation.create(
      identifier=model['alias'], schema=schema, database=database, type='table') -%}
  {%- set fixture = var('fakesnow_cluster_model_fixture') -%}

  {{ run_hooks(pre_hooks) }}
  {% call statement('main') -%}
    create or replace table {{ target_relation }} as select * from {{ fixture }}
  {%- endcall %}
  {{ run_hooks(post_hooks) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
