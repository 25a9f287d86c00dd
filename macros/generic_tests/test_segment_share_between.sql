{#- Fails for every segment whose share of the labelled rows (rows where the
    column is not null) is below min_share or above max_share. `overrides`
    maps a segment value to its own {min_share, max_share}. -#}
{% test segment_share_between(model, column_name, min_share=0, max_share=1, overrides={}) %}

with

labelled as (
    select {{ column_name }} as segment
    from {{ model }}
    where {{ column_name }} is not null
),

shares as (
    select
        segment,
        count(*) as row_count,
        count(*) * 1.0 / sum(count(*)) over () as share
    from labelled
    group by segment
),

bounds as (
    select
        segment,
        row_count,
        share,
        {{ segmentation.share_bound(overrides, 'min_share', min_share) }} as min_share,
        {{ segmentation.share_bound(overrides, 'max_share', max_share) }} as max_share
    from shares
),

final as (
    select * from bounds
    where share < min_share or share > max_share
)

select * from final

{% endtest %}


{#- The bound `name` of each segment: its override, else the default. -#}
{% macro share_bound(overrides, name, default) -%}
    {%- if overrides -%}
        case
            {%- for segment, bound in overrides.items() %}
            when cast(segment as {{ dbt.type_string() }}) = '{{ segment }}' then {{ bound.get(name, default) }}
            {%- endfor %}
            else {{ default }}
        end
    {%- else -%}
        {{ default }}
    {%- endif -%}
{%- endmacro %}
