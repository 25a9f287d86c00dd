{#- Pre-hook of the membership snapshot: takes back the versions that a build
    recorded but never published, so that the build which publishes them records
    them again, stamped with its own start time (docs/decisions/0015).

    A version is published once it is in the sync feed (`feed_model`, whose
    change_id is the version's dbt_scd_id): a sync may have sent it, so it stays.
    Versions that are not in the feed are deleted and the versions they closed
    are opened again. Without a feed nothing is known to be published: a
    snapshot that holds one build's versions only is emptied (a first build
    stopped before its feed); one with more builds is left alone. -#}
{% macro roll_back_unpublished_versions(snapshot, feed_model='segmentation__sync_changes') %}
    {%- if not execute %}{{ return('') }}{% endif %}
    {%- set existing = adapter.get_relation(snapshot.database, snapshot.schema, snapshot.identifier) %}
    {%- if existing is none %}{{ return('') }}{% endif %}
    {%- set feed_nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', 'segmentation')
        | selectattr('name', 'equalto', feed_model)
        | list %}
    {%- set feed = adapter.get_relation(feed_nodes[0].database, feed_nodes[0].schema, feed_nodes[0].alias)
        if feed_nodes else none %}
    {%- if feed is none %}
    delete from {{ existing }}
    where (select count(distinct dbt_valid_from) from {{ existing }}) = 1
    {%- else %}
    delete from {{ existing }}
    where dbt_scd_id not in (select published.change_id from {{ feed }} as published);
    update {{ existing }} set dbt_valid_to = null
    where dbt_valid_to is not null
        and not exists (
            select 1 from {{ existing }} as later_versions
            where later_versions.membership_key = {{ existing }}.membership_key
                and later_versions.dbt_valid_from = {{ existing }}.dbt_valid_to
        )
    {%- endif %}
{%- endmacro %}
