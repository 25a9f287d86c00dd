{#- Words that an engine's cast turns into a timestamp or a number although
    they name no real instant or amount; staging rejects them as special_value
    before any cast sees them. Timestamps: DuckDB reads 'epoch', 'infinity' and
    '-infinity'; PostgreSQL-style parsers also 'now', 'today', 'tomorrow',
    'yesterday' and 'allballs'. Numbers: 'nan', 'inf' and 'infinity' with either
    sign (a double cast accepts them all). Compared lower-cased. -#}
{% macro special_values(kind) %}
    {%- if kind == 'number' -%}
        {{ return(['nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']) }}
    {%- endif -%}
    {{ return(['epoch', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf', 'now', 'today',
        'tomorrow', 'yesterday', 'allballs', 'nan']) }}
{% endmacro %}
