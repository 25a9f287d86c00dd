{#- Whether a customer is held out of an audience: a stable hash of salt,
    audience and customer, read as a number in [0, 1), below the share. The same
    inputs give the same flag on every run and engine (md5 and string
    functions only), and customers keep their flag as the audience grows. -#}
{% macro is_holdout(customer_id, audience_id, share) -%}
    ({{ segmentation.hash_fraction(
        "'" ~ var('segmentation__holdout_salt', 'segmentation') ~ "' || '|' || " ~ audience_id ~ " || '|' || " ~ customer_id
    ) }} < {{ share }})
{%- endmacro %}


{#- The first four hex digits of md5(expression) as a fraction in [0, 1),
    in steps of 1/65536, without engine-specific hex parsing. -#}
{% macro hash_fraction(expression) -%}
    {%- set digest = 'lower(' ~ dbt.hash(expression) ~ ')' -%}
    (
    {%- for place in range(4) %}
        ({{ dbt.position('substr(' ~ digest ~ ', ' ~ (place + 1) ~ ', 1)', "'0123456789abcdef'") }} - 1) * {{ 16 ** (3 - place) }}
        {%- if not loop.last %} +{% endif %}
    {%- endfor %}
    ) / 65536.0
{%- endmacro %}


{#- The build's start time as a timestamp literal: every row a build writes
    shares it (to the microsecond), so history and change feeds line up by run. -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
