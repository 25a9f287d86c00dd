{#- The md5 digest a customer's holdout flag in an audience is read from:
    md5('<salt>|<audience_id>|<customer_id>'). md5 and string functions only,
    so every engine gives the same digest. -#}
{% macro holdout_digest(customer_id, audience_id) -%}
    lower({{ dbt.hash(
        segmentation.sql_literal(segmentation.setting('segmentation__holdout_salt') ~ '|') ~ " || " ~ audience_id ~ " || '|' || " ~ customer_id
    ) }})
{%- endmacro %}


{#- The first four hex digits of a lower-case hex digest as a fraction in
    [0, 1), in steps of 1/65536, without engine-specific hex parsing. A holdout
    is a fraction below the audience's share, so customers keep their flag as
    the audience grows. Pass a column, so the digest is computed once. -#}
{% macro hex_fraction(digest) -%}
    (
    {%- for place in range(4) %}
        ({{ dbt.position('substr(' ~ digest ~ ', ' ~ (place + 1) ~ ', 1)', "'0123456789abcdef'") }} - 1) * {{ 16 ** (3 - place) }}
        {%- if not loop.last %} +{% endif %}
    {%- endfor %}
    ) / 65536.0
{%- endmacro %}
