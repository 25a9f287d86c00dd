{#- Stops the build with a `segmentation:` message when no accepted order is on
    or before the as-of date, saying how many rows of `read_from` (the base
    models of customers and orders) were read and rejected, so an empty or
    wholly rejected input is named as such. -#}
{% macro require_accepted_orders(orders, read_from, as_of_date, as_of_literal) %}
    {%- set on_or_before = '' if as_of_date is none else ' where cast(ordered_at as date) <= ' ~ as_of_literal %}
    {%- set accepted = run_query('select count(*) from ' ~ orders ~ on_or_before).columns[0].values()[0] %}
    {%- if accepted > 0 %}{{ return('') }}{% endif %}
    {%- set counts = {} %}
    {%- for input_name in ['customers', 'orders'] %}
        {%- set row = run_query(
            'select count(*), sum(case when rejection_reason_code is null then 0 else 1 end) from '
            ~ read_from[input_name]).rows[0] %}
        {%- do counts.update({input_name: (row[0], row[1] or 0)}) %}
    {%- endfor %}
    {%- set read = 'customers: ' ~ counts['customers'][0] ~ ' rows read, ' ~ counts['customers'][1]
        ~ ' rejected; orders: ' ~ counts['orders'][0] ~ ' rows read, ' ~ counts['orders'][1] ~ ' rejected' %}
    {%- if as_of_date is not none and counts['orders'][0] > counts['orders'][1] %}
        {%- set cause = 'no accepted order is on or before segmentation__as_of_date (' ~ as_of_date ~ ')' %}
    {%- elif counts['customers'][0] == 0 %}
        {%- set cause = 'the customers input is empty' %}
    {%- elif counts['orders'][0] == 0 %}
        {%- set cause = 'the orders input is empty' %}
    {%- else %}
        {%- set cause = 'every order was rejected (reasons in segmentation__rejected_rows)' %}
    {%- endif %}
    {{ exceptions.raise_compiler_error(
        'segmentation: nothing to segment: ' ~ cause ~ ' (' ~ read ~ '). Segments need at least one'
        ~ ' accepted order; the last good build stays published.') }}
{% endmacro %}
