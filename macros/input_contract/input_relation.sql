{#- The relation an input is read from: the user's own relation when
    `segmentation__<input>_relation` is set, otherwise the package's source.
    A bare name is a model or seed of the user's project and is ref()'d, so
    dbt orders the build; a dotted name is used as a qualified relation. -#}
{% macro input_relation(input_name) %}
    {%- set override = segmentation.setting('segmentation__' ~ input_name ~ '_relation') -%}
    {%- if override is none or override == '' -%}
        {{ return(source('segmentation', input_name)) }}
    {%- endif -%}
    {%- set parts = override.split('.') -%}
    {%- if parts | length == 1 -%}
        {#- Two-argument ref: the name is the root project's, never the package's. -#}
        {{ return(ref(project_name, override)) }}
    {%- elif parts | length == 2 -%}
        {{ return(api.Relation.create(database=target.database, schema=parts[0], identifier=parts[1])) }}
    {%- elif parts | length == 3 -%}
        {{ return(api.Relation.create(database=parts[0], schema=parts[1], identifier=parts[2])) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "segmentation: var 'segmentation__" ~ input_name ~ "_relation' is '" ~ override
            ~ "'; expected a model name, 'schema.table' or 'database.schema.table'.") }}
    {%- endif -%}
{% endmacro %}


{#- A configuration seed: the user's model or seed named by `var_name` (in the
    root project), else the package's own seed `default`. -#}
{% macro config_relation(var_name, default) %}
    {%- set override = segmentation.setting(var_name) -%}
    {%- if override is none or override == '' -%}
        {{ return(ref('segmentation', default)) }}
    {%- endif -%}
    {{ return(ref(project_name, override)) }}
{% endmacro %}


{#- Whether the package's examples are on: its example audiences (seed
    audience_definitions) and its example exposures. null (the default) = only
    when this repository is the root project, i.e. its own demo, never in a
    project that installs the package (docs/decisions/0018). -#}
{% macro include_examples() %}
    {%- set value = segmentation.setting('segmentation__include_examples') -%}
    {{ return(project_name == 'segmentation' if value is none else value) }}
{% endmacro %}


{#- The user-defined audiences: the user's seed or model named by
    `segmentation__audience_definitions`; else the package's example seed when
    examples are on; else the example seed with no rows (same columns). -#}
{% macro audience_definitions_relation() %}
    {%- set relation = segmentation.config_relation('segmentation__audience_definitions', 'audience_definitions') -%}
    {%- if segmentation.setting('segmentation__audience_definitions') is none and not segmentation.include_examples() -%}
        {{ return('(select * from ' ~ relation ~ ' where 1 = 0)') }}
    {%- endif -%}
    {{ return(relation) }}
{% endmacro %}
