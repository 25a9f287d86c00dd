{#- Days in one period of the value models (var segmentation__value_period: day 1,
    week 7). BG/NBD's alpha and Gamma-Gamma's nothing scale with it; the
    predictions do not (docs/decisions/0022). -#}
{% macro value_period_days() %}
    {{ return({'day': 1, 'week': 7}[segmentation.setting('segmentation__value_period')]) }}
{% endmacro %}
