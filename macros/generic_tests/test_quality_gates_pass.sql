{#- Fails when a row of the gate table is not passed. When a build or test runs
    it, the failure is raised with every failed row's message (dbt's own
    message would only say "Got 1 result"), so the build log says which
    segment broke which bound and which var to change. With severity warn the
    messages are logged and the test warns. -#}
{% test quality_gates_pass(model, passed_column='is_passed', message_column='message') %}
    {%- if execute and flags.WHICH in ('build', 'test', 'retry') and load_relation(model) is not none %}
        {%- set failed = run_query(
            'select ' ~ message_column ~ ' from ' ~ model ~ ' where not ' ~ passed_column ~ ' order by 1'
        ) %}
        {%- if failed.rows | length > 0 %}
            {%- set report = 'segmentation: ' ~ (failed.rows | length) ~ ' quality gate(s) failed, so this build'
                ~ ' publishes no new segments (the last good build stays in place):\n  - '
                ~ (failed.rows | map(attribute=0) | join('\n  - ')) %}
            {%- if config.get('severity', 'error') | lower == 'error' %}
                {{ exceptions.raise_compiler_error(report) }}
            {%- else %}
                {{ log(report, info=True) }}
            {%- endif %}
        {%- endif %}
    {%- endif %}

select * from {{ model }}
where not {{ passed_column }}

{% endtest %}
