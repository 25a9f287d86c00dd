{#- A 1-5 score for one RFM dimension. With cut points configured for the
    dimension (var segmentation__rfm_cut_points), fixed bands; otherwise
    quintiles: NTILE(5) over the rows, ties broken by customer_id so the
    result is deterministic (equal values can straddle a quintile edge).
    `higher_is_better=false` (recency) gives 5 to the smallest values. -#}
{% macro rfm_score(expression, dimension, higher_is_better=true) %}
    {%- set cut_points = (segmentation.setting('segmentation__rfm_cut_points') or {}).get(dimension) -%}
    {%- if cut_points -%}
        case
        {%- for point in cut_points %}
            when {{ expression }} < {{ point }} then {{ 5 - loop.index0 if not higher_is_better else loop.index }}
        {%- endfor %}
            else {{ 1 if not higher_is_better else 5 }}
        end
    {%- else -%}
        ntile(5) over (order by {{ expression }} {{ 'asc' if higher_is_better else 'desc' }}, customer_id)
    {%- endif -%}
{%- endmacro %}
