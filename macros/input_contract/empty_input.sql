{#- What staging reads in place of a switched-off input: an empty typed
    relation with the input's contract columns, and `extra_columns` (the
    parent's columns that staging carries, as {'name', 'kind'}), each cast to
    the type staging gives it, and no rows. Downstream models then read an
    empty relation of the usual shape and need no placeholder branches. -#}
{% macro empty_input(input_name, extra_columns=[]) %}
    select
    {%- for column in segmentation.input_contract()[input_name]['columns'] + extra_columns %}
        cast(null as {{ segmentation.type_for_kind(column['kind']) }}) as {{ column['name'] }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}
