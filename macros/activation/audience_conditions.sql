{#- The user-defined audiences of the definitions seed, each with its
    conditions compiled to a SQL predicate over `columns` (the Column objects a
    rule may name). A condition is `<column> <operator> <value>`; conditions are
    joined with `and`. Operators: = != < <= > >= in (a, b) not in (a, b)
    is null, is not null. Values are checked against the column's type and
    quoted here, so a seed can never inject SQL. Read when the model runs (the
    seed is loaded by then); returns [] at parse time. -#}
{% macro audience_conditions(definitions, columns) %}
    {%- if not execute %}{{ return([]) }}{% endif %}
    {%- set by_name = {} %}
    {%- for column in columns %}{% do by_name.update({column.name | lower: column}) %}{% endfor %}
    {%- set rows = run_query(
        "select audience_key, conditions from " ~ definitions ~ " order by audience_key") %}
    {%- set audiences = [] %}
    {%- set seen = [] %}
    {%- for row in rows.rows %}
        {%- set key = row[0] %}
        {%- set where = "audience '" ~ key ~ "' in " ~ definitions %}
        {%- if key is none or not modules.re.match('^[a-z][a-z0-9_]*$', key) %}
            {{ exceptions.raise_compiler_error(
                "segmentation: audience_key '" ~ key ~ "' in " ~ definitions
                ~ " must be lower-case letters, digits and underscores, starting with a letter.") }}
        {%- endif %}
        {%- if key in seen %}
            {{ exceptions.raise_compiler_error(
                "segmentation: audience_key '" ~ key ~ "' appears twice in " ~ definitions ~ ".") }}
        {%- endif %}
        {%- do seen.append(key) %}
        {%- if row[1] is none or row[1] | trim == '' %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ " has no conditions; an audience of everyone is not allowed.") }}
        {%- endif %}
        {%- set predicates = [] %}
        {%- for condition in modules.re.split('\\s+and\\s+', row[1] | trim, flags=modules.re.I) %}
            {%- do predicates.append(segmentation.audience_predicate(condition, by_name, where)) %}
        {%- endfor %}
        {%- do audiences.append({'key': key, 'predicate': predicates | join(' and ')}) %}
    {%- endfor %}
    {{ return(audiences) }}
{% endmacro %}


{#- One condition of an audience as SQL. -#}
{% macro audience_predicate(condition, by_name, where) %}
    {%- set match = modules.re.match(
        '^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(is\\s+not\\s+null|is\\s+null|not\\s+in|in|<=|>=|!=|<>|=|<|>)\\s*(.*?)\\s*$',
        condition, modules.re.I) %}
    {%- if not match %}
        {{ exceptions.raise_compiler_error(
            "segmentation: " ~ where ~ ": cannot read the condition '" ~ condition
            ~ "'. Write `<column> <operator> <value>` with one of = != < <= > >= in (...) not in (...) is null, is not null, joined by `and`.") }}
    {%- endif %}
    {%- set name = match.group(1) | lower %}
    {%- set operator = modules.re.sub('\\s+', ' ', match.group(2) | lower) %}
    {%- set value = match.group(3) %}
    {%- if name not in by_name %}
        {{ exceptions.raise_compiler_error(
            "segmentation: " ~ where ~ ": the condition '" ~ condition ~ "' names '" ~ name
            ~ "', which is not a column of segmentation__customer_features or segmentation__customer_segments. Columns: "
            ~ (by_name.keys() | sort | join(', ')) ~ ".") }}
    {%- endif %}
    {%- set column = by_name[name] %}
    {%- if operator in ('is null', 'is not null') %}
        {%- if value != '' %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ ": '" ~ operator ~ "' takes no value in '" ~ condition ~ "'.") }}
        {%- endif %}
        {{ return('candidates.' ~ name ~ ' ' ~ operator) }}
    {%- endif %}
    {%- if operator in ('in', 'not in') %}
        {%- if not (value.startswith('(') and value.endswith(')')) %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ ": '" ~ operator ~ "' needs a list in brackets, e.g. (a, b), in '" ~ condition ~ "'.") }}
        {%- endif %}
        {%- set literals = [] %}
        {%- for item in value[1:-1].split(',') %}
            {%- do literals.append(segmentation.audience_literal(item, column, condition, where)) %}
        {%- endfor %}
        {{ return('candidates.' ~ name ~ ' ' ~ operator ~ ' (' ~ literals | join(', ') ~ ')') }}
    {%- endif %}
    {%- set operator = '!=' if operator == '<>' else operator %}
    {{ return('candidates.' ~ name ~ ' ' ~ operator ~ ' ' ~ segmentation.audience_literal(value, column, condition, where)) }}
{% endmacro %}


{#- A rule's value as a SQL literal of the column's type. -#}
{% macro audience_literal(raw, column, condition, where) %}
    {%- set text = raw | trim %}
    {%- if text | length >= 2 and text[0] == text[-1] and text[0] in ("'", '"') %}
        {%- set text = text[1:-1] %}
    {%- endif %}
    {%- set dtype = column.dtype | lower %}
    {%- if column.is_number() or column.is_float() or column.is_integer() or column.is_numeric() %}
        {%- if not modules.re.match('^-?[0-9]+([.][0-9]+)?$', text) %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ ": '" ~ column.name ~ "' is a number, but '" ~ text
                ~ "' in '" ~ condition ~ "' is not.") }}
        {%- endif %}
        {{ return(text) }}
    {%- elif dtype.startswith('bool') %}
        {%- if text | lower not in ('true', 'false') %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ ": '" ~ column.name ~ "' is true or false, not '" ~ text
                ~ "' in '" ~ condition ~ "'.") }}
        {%- endif %}
        {{ return(text | lower) }}
    {%- elif dtype.startswith('date') or dtype.startswith('timestamp') %}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9:.]+)?$', text) %}
            {{ exceptions.raise_compiler_error(
                "segmentation: " ~ where ~ ": '" ~ column.name ~ "' is a date; write 'YYYY-MM-DD', not '" ~ text
                ~ "' in '" ~ condition ~ "'.") }}
        {%- endif %}
        {{ return("cast(" ~ segmentation.sql_literal(text) ~ " as " ~ column.dtype ~ ")") }}
    {%- endif %}
    {{ return(segmentation.sql_literal(text)) }}
{% endmacro %}
