{#- The current fit of `model_relation` (segmentation__cluster_model) as a dict:
    fit_id, eligibility_min_orders, spec (one dict per model dimension) and
    centroids (list of {segment_id, coordinates}). Read at execution; while
    parsing, or before the model table exists, an empty fit. -#}
{% macro cluster_fit(model_relation) %}
    {%- set empty = {'fit_id': none, 'eligibility_min_orders': 1, 'spec': [], 'centroids': []} -%}
    {%- if not execute -%}
        {{ return(empty) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=model_relation.database, schema=model_relation.schema, identifier=model_relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(empty) }}
    {%- endif -%}
    {%- set result = run_query(
        "select segment_id, centroid, feature_spec, fit_id, eligibility_min_orders from "
        ~ model_relation ~ " order by segment_id"
    ) -%}
    {%- if result.rows | length == 0 -%}
        {{ return(empty) }}
    {%- endif -%}
    {%- set centroids = [] -%}
    {%- for row in result.rows -%}
        {%- do centroids.append({'segment_id': row[0] | int, 'coordinates': fromjson(row[1])}) -%}
    {%- endfor -%}
    {{ return({
        'fit_id': result.rows[0][3],
        'eligibility_min_orders': result.rows[0][4] | int,
        'spec': fromjson(result.rows[0][2]),
        'centroids': centroids,
    }) }}
{% endmacro %}
