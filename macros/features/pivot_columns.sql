{#- The column each pivoted value gets: a list of {'kind', 'value', 'column'}
    in the order of `values` (duplicates dropped; `kind` as given). The rule (docs/decisions/0016):
    - `prefix` ~ column_slug(value) when that is the value's alone, is not in
      `reserved` (the model's fixed columns) and has at most 63 characters;
    - otherwise (values whose slugs collide, e.g. 'Shoes' and 'shoes', a slug
      that is empty or reserved, a name too long) the name cut to 54 characters,
      '_' and the first 8 hex digits of the MD5 of the exact value. Every
      colliding value is hashed, none keeps the plain name, so a column name
      depends only on its own value and always means the same value;
    - a name that would still repeat stops the build: never two columns with
      one name, never one value's numbers under another's name. -#}
{% macro pivot_columns(values, prefix, reserved=[], kind=none) %}
    {%- set max_length = 63 -%}
    {%- set distinct_values = [] -%}
    {%- set slugs = {} -%}
    {%- set slug_counts = {} -%}
    {%- for value in values if value | string not in slugs -%}
        {%- set slug = segmentation.column_slug(value) -%}
        {%- do distinct_values.append(value | string) -%}
        {%- do slugs.update({value | string: slug}) -%}
        {%- do slug_counts.update({slug: slug_counts.get(slug, 0) + 1}) -%}
    {%- endfor -%}
    {%- set taken = {} -%}
    {%- for name in reserved -%}
        {%- do taken.update({name | lower: 'a fixed column'}) -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for value in distinct_values -%}
        {%- set slug = slugs[value] -%}
        {%- set plain = prefix ~ slug -%}
        {%- set needs_hash = slug == '' or slug_counts[slug] > 1 or plain in taken
            or plain | length > max_length -%}
        {%- set stem = (prefix ~ (slug or 'text'))[:max_length - 9].rstrip('_') -%}
        {%- set column = stem ~ '_' ~ local_md5(value)[:8] if needs_hash else plain -%}
        {%- if column in taken -%}
            {{ exceptions.raise_compiler_error(
                "segmentation: the pivot column " ~ column ~ " for " ~ value | tojson ~ " is already "
                ~ taken[column] ~ "; list the values to pivot in a var (segmentation__affinity_categories"
                ~ " / segmentation__declared_attributes) without one of them") }}
        {%- endif -%}
        {%- do taken.update({column: 'the column of ' ~ value | tojson}) -%}
        {%- do columns.append({'kind': kind, 'value': value, 'column': column}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
