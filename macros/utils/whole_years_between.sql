{#- Completed years from `start_date` to `end_date` (a person's age): year
    difference, less one when the anniversary has not yet come. -#}
{% macro whole_years_between(start_date, end_date) %}
    (
        extract(year from {{ end_date }}) - extract(year from {{ start_date }})
        - case
            when extract(month from {{ end_date }}) * 100 + extract(day from {{ end_date }})
                < extract(month from {{ start_date }}) * 100 + extract(day from {{ start_date }})
                then 1
            else 0
        end
    )
{%- endmacro %}
