{#- Every var of the package, validated before SQL uses it (README "Vars").

    `setting(name)` is how models and macros read a var: the value, checked
    against its rule and normalised (a date becomes 'YYYY-MM-DD', 'true' becomes
    true), or a `segmentation:` error naming the var, the value and what is
    allowed. `validate_settings()` checks them all at the start of every run
    (on-run-start), so a bad var stops the build before any model runs.
    A validated value still reaches SQL only through `sql_literal` (text) or as
    a checked number. -#}
{% macro setting_rules() %}
    {%- set name_pattern = '^[A-Za-z_][A-Za-z0-9_$]*$' -%}
    {%- set relation_pattern = '^[A-Za-z_][A-Za-z0-9_$]*([.][A-Za-z_][A-Za-z0-9_$]*){0,2}$' -%}
    {%- set rules = {
        'segmentation__source_database': {'type': 'text', 'pattern': name_pattern, 'nullable': true},
        'segmentation__source_schema': {'type': 'text', 'pattern': name_pattern},
        'segmentation__redact_pii_in_rejected_rows': {'type': 'bool'},
        'segmentation__event_types': {'type': 'text_list'},
        'segmentation__cart_event_types': {'type': 'text_list', 'subset_of': 'segmentation__event_types'},
        'segmentation__purchase_event_types': {'type': 'text_list', 'subset_of': 'segmentation__event_types'},
        'segmentation__future_cutoff': {'type': 'timestamp', 'nullable': true},
        'segmentation__source_timezone': {'type': 'text',
            'pattern': '^[A-Za-z][A-Za-z0-9_+-]{0,40}(/[A-Za-z0-9_+-]{1,40}){0,2}$',
            'expected': "an IANA time zone name such as 'UTC', 'Europe/Berlin' or 'America/New_York'"},
        'segmentation__min_timestamp': {'type': 'timestamp',
            'expected': "a date 'YYYY-MM-DD' or a timestamp 'YYYY-MM-DD HH:MM:SS' (UTC), e.g. '1900-01-01'"},
        'segmentation__timestamp_formats': {'type': 'text_list', 'nullable': true, 'may_be_empty': true,
            'expected': "a list of strptime formats, e.g. ['%Y%m%d', '%d/%m/%Y %H:%M']"},
        'segmentation__incremental_staging': {'type': 'bool'},
        'segmentation__incremental_lookback_days': {'type': 'integer', 'min': 0, 'max': 36500},
        'segmentation__incremental_features': {'type': 'bool'},
        'segmentation__as_of_date': {'type': 'date', 'nullable': true},
        'segmentation__age_band_edges': {'type': 'ascending_integers'},
        'segmentation__income_band_edges': {'type': 'ascending_integers'},
        'segmentation__rfm_cut_points': {'type': 'rfm_cut_points', 'nullable': true},
        'segmentation__rfm_segment_map': {'type': 'text', 'pattern': name_pattern, 'nullable': true},
        'segmentation__new_customer_days': {'type': 'integer', 'min': 1, 'max': 36500},
        'segmentation__at_risk_days': {'type': 'integer', 'min': 1, 'max': 36500},
        'segmentation__lapsed_days': {'type': 'integer', 'min': 1, 'max': 36500},
        'segmentation__usual_gap_multiplier': {'type': 'number', 'min': 0.1, 'max': 1000},
        'segmentation__returned_statuses': {'type': 'text_list'},
        'segmentation__mobile_device_types': {'type': 'text_list'},
        'segmentation__app_platforms': {'type': 'text_list'},
        'segmentation__affinity_categories': {'type': 'text_list', 'nullable': true},
        'segmentation__declared_attributes': {'type': 'text_list', 'nullable': true},
        'segmentation__premium_price_ratio': {'type': 'number', 'min': 1, 'max': 1000},
        'segmentation__value_price_ratio': {'type': 'number', 'min': 0.001, 'max': 1},
        'segmentation__cluster_k': {'type': 'integer', 'min': 2, 'max': 50, 'nullable': true},
        'segmentation__cluster_k_method': {'type': 'choice', 'choices': ['silhouette', 'prediction_strength']},
        'segmentation__cluster_k_min': {'type': 'integer', 'min': 2, 'max': 50},
        'segmentation__cluster_k_max': {'type': 'integer', 'min': 2, 'max': 50},
        'segmentation__max_fit_rows': {'type': 'integer', 'min': 100, 'max': 100000000},
        'segmentation__eligible_min_orders': {'type': 'integer', 'min': 1, 'max': 1000000},
        'segmentation__refit': {'type': 'bool', 'nullable': true},
        'segmentation__refit_every_days': {'type': 'integer', 'min': 0, 'max': 36500, 'nullable': true},
        'segmentation__refit_drift': {'type': 'number', 'min': 0, 'max': 1000, 'nullable': true},
        'segmentation__segment_names': {'type': 'text', 'pattern': name_pattern, 'nullable': true},
        'segmentation__segment_trait_labels': {'type': 'text', 'pattern': name_pattern, 'nullable': true},
        'segmentation__trait_min_z': {'type': 'number', 'min': 0, 'max': 10},
        'segmentation__trait_min_position': {'type': 'number', 'min': 0.5, 'max': 0.99},
        'segmentation__value_tier_top_share': {'type': 'number', 'min': 0.01, 'max': 0.99},
        'segmentation__value_tier_bottom_share': {'type': 'number', 'min': 0.01, 'max': 0.99},
        'segmentation__segment_min_share': {'type': 'number', 'min': 0, 'max': 1},
        'segmentation__segment_max_share': {'type': 'number', 'min': 0, 'max': 1},
        'segmentation__segment_min_customers': {'type': 'integer', 'min': 0, 'max': 1000000000000},
        'segmentation__quality_gate_severity': {'type': 'choice', 'choices': ['error', 'warn']},
        'segmentation__max_changed_share': {'type': 'number', 'min': 0, 'max': 1},
        'segmentation__stability_severity': {'type': 'choice', 'choices': ['error', 'warn']},
        'segmentation__value_period': {'type': 'choice', 'choices': ['day', 'week']},
        'segmentation__value_holdout_days': {'type': 'integer', 'min': 1, 'max': 36500},
        'segmentation__value_horizon_days': {'type': 'integer', 'min': 1, 'max': 36500},
        'segmentation__value_months': {'type': 'integer', 'min': 1, 'max': 1200},
        'segmentation__value_monthly_discount_rate': {'type': 'number', 'min': 0, 'max': 1},
        'segmentation__value_max_fit_rows': {'type': 'integer', 'min': 100, 'max': 100000000},
        'segmentation__high_value_top_share': {'type': 'number', 'min': 0.001, 'max': 1},
        'segmentation__at_risk_max_probability_alive': {'type': 'number', 'min': 0, 'max': 1},
        'segmentation__likely_to_buy_min_expected_purchases': {'type': 'number', 'min': 0, 'max': 1000000},
        'segmentation__audience_definitions': {'type': 'text', 'pattern': name_pattern, 'nullable': true},
        'segmentation__include_examples': {'type': 'bool', 'nullable': true},
        'segmentation__holdout_share': {'type': 'number', 'min': 0, 'max': 0.99},
        'segmentation__holdout_salt': {'type': 'text', 'pattern': '^.+$'},
        'segmentation__audience_priorities': {'type': 'priorities', 'nullable': true},
        'segmentation__campaign_outcome_days': {'type': 'integer', 'min': 0, 'max': 3650},
        'segmentation__duckdb_memory_limit': {'type': 'text', 'pattern': '^[0-9]+([.][0-9]+)? ?[KMGT]i?B$',
            'nullable': true, 'expected': "a size such as '3GB' or '2.5GiB', or null for DuckDB's own default"},
        'segmentation__duckdb_preserve_insertion_order': {'type': 'bool', 'nullable': true},
    } -%}
    {#- Per input of the contract (macros/input_contract): where it comes from, and a switch for optional ones. -#}
    {%- for input_name, contract in segmentation.input_contract().items() -%}
        {%- do rules.update({
            'segmentation__' ~ input_name ~ '_identifier': {'type': 'text', 'pattern': name_pattern},
            'segmentation__' ~ input_name ~ '_relation': {'type': 'text', 'pattern': relation_pattern, 'nullable': true},
        }) -%}
        {%- if contract['optional'] -%}
            {%- do rules.update({'segmentation__using_' ~ input_name: {'type': 'bool'}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}


{#- The validated value of one var (see setting_rules). -#}
{% macro setting(name) %}
    {%- set rules = segmentation.setting_rules() -%}
    {%- if name not in rules -%}
        {{ exceptions.raise_compiler_error("segmentation: setting('" ~ name ~ "') has no rule in setting_rules") }}
    {%- endif -%}
    {{ return(segmentation.checked_setting(name, var(name, none), rules[name])) }}
{% endmacro %}


{#- Every var at once; an on-run-start hook, so it renders no SQL. -#}
{% macro validate_settings() %}
    {%- set rules = segmentation.setting_rules() -%}
    {%- for name in rules | sort -%}
        {%- set value = segmentation.checked_setting(name, var(name, none), rules[name]) -%}
        {%- set subset_of = rules[name].get('subset_of') -%}
        {%- if subset_of -%}
            {%- set allowed = segmentation.setting(subset_of) -%}
            {%- for item in value if item not in allowed -%}
                {{ segmentation.setting_error(name, value, "values of var '" ~ subset_of
                    ~ "' (" ~ allowed | join(', ') ~ "); '" ~ item ~ "' is not one") }}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do segmentation.timestamp_settings() -%}
    {%- set pairs = [
        ('segmentation__cluster_k_min', 'segmentation__cluster_k_max'),
        ('segmentation__segment_min_share', 'segmentation__segment_max_share'),
        ('segmentation__value_price_ratio', 'segmentation__premium_price_ratio'),
        ('segmentation__at_risk_days', 'segmentation__lapsed_days'),
    ] -%}
    {%- for low, high in pairs -%}
        {%- set low_value, high_value = segmentation.setting(low), segmentation.setting(high) -%}
        {%- if low_value > high_value -%}
            {{ exceptions.raise_compiler_error(
                "segmentation: var '" ~ low ~ "' (" ~ low_value ~ ") must not be above var '"
                ~ high ~ "' (" ~ high_value ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{% macro setting_error(name, value, allowed) %}
    {{ exceptions.raise_compiler_error(
        "segmentation: var '" ~ name ~ "' is " ~ (value | tojson if value is not string else "'" ~ value ~ "'")
        ~ "; expected " ~ allowed ~ ".") }}
{% endmacro %}


{#- The value checked against its rule and normalised, or a clear error. -#}
{% macro checked_setting(name, value, rule) %}
    {%- set kind = rule['type'] -%}
    {%- set value = none if value is string and value | trim | lower in ('', 'none', 'null') else value -%}
    {%- if value is none -%}
        {%- if rule.get('nullable') -%}{{ return(none) }}{%- endif -%}
        {{ segmentation.setting_error(name, value, 'a value (it must be set)') }}
    {%- endif -%}
    {%- set is_bool = value is sameas true or value is sameas false -%}
    {%- if kind == 'bool' -%}
        {%- if is_bool -%}{{ return(value) }}{%- endif -%}
        {%- if value is string and value | lower in ('true', 'false') -%}{{ return(value | lower == 'true') }}{%- endif -%}
        {{ segmentation.setting_error(name, value, 'true or false') }}
    {%- elif kind in ('integer', 'number') -%}
        {%- set number = segmentation.setting_number(value, kind == 'integer') -%}
        {%- set allowed = ('a whole number' if kind == 'integer' else 'a number') ~ ' from ' ~ rule['min'] ~ ' to ' ~ rule['max'] -%}
        {%- if number is none or number < rule['min'] or number > rule['max'] -%}
            {{ segmentation.setting_error(name, value, allowed) }}
        {%- endif -%}
        {{ return(number) }}
    {%- elif kind == 'choice' -%}
        {%- if value not in rule['choices'] -%}
            {{ segmentation.setting_error(name, value, 'one of ' ~ rule['choices'] | join(', ')) }}
        {%- endif -%}
        {{ return(value) }}
    {%- elif kind == 'text' -%}
        {%- if is_bool or value is not string and value is not number
            or not modules.re.match(rule['pattern'], value | string, modules.re.S) -%}
            {{ segmentation.setting_error(name, value, rule.get('expected', 'text matching ' ~ rule['pattern'])) }}
        {%- endif -%}
        {{ return(value | string) }}
    {%- elif kind == 'text_list' -%}
        {%- if value is string or value is mapping or value is not iterable
            or (value | length == 0 and not rule.get('may_be_empty')) -%}
            {{ segmentation.setting_error(name, value, rule.get('expected', 'a non-empty list of text values, e.g. [a, b]')) }}
        {%- endif -%}
        {%- for item in value if item is none or item is mapping or (item is iterable and item is not string)
            or item is sameas true or item is sameas false or item | string | trim == '' -%}
            {{ segmentation.setting_error(name, value, rule.get('expected', 'a list of non-empty text values')) }}
        {%- endfor -%}
        {{ return(value | map('string') | list) }}
    {%- elif kind == 'ascending_integers' -%}
        {%- if value is string or value is mapping or value is not iterable or value | length == 0 -%}
            {{ segmentation.setting_error(name, value, 'a non-empty list of ascending whole numbers') }}
        {%- endif -%}
        {%- set numbers = [] -%}
        {%- for item in value -%}
            {%- set number = segmentation.setting_number(item, true) -%}
            {%- if number is none or (numbers and number <= numbers[-1]) -%}
                {{ segmentation.setting_error(name, value, 'a non-empty list of ascending whole numbers') }}
            {%- endif -%}
            {%- do numbers.append(number) -%}
        {%- endfor -%}
        {{ return(numbers) }}
    {%- elif kind == 'rfm_cut_points' -%}
        {%- set allowed = 'a map of recency_days, frequency and/or monetary to four ascending numbers' -%}
        {%- if value is not mapping -%}{{ segmentation.setting_error(name, value, allowed) }}{%- endif -%}
        {%- set checked = {} -%}
        {%- for dimension, points in value.items() -%}
            {%- if dimension not in ('recency_days', 'frequency', 'monetary') or points is string
                or points is not iterable or points | length != 4 -%}
                {{ segmentation.setting_error(name, value, allowed) }}
            {%- endif -%}
            {%- set numbers = [] -%}
            {%- for item in points -%}
                {%- set number = segmentation.setting_number(item, false) -%}
                {%- if number is none or (numbers and number <= numbers[-1]) -%}
                    {{ segmentation.setting_error(name, value, allowed) }}
                {%- endif -%}
                {%- do numbers.append(number) -%}
            {%- endfor -%}
            {%- do checked.update({dimension: numbers}) -%}
        {%- endfor -%}
        {{ return(checked) }}
    {%- elif kind == 'priorities' -%}
        {%- set allowed = "a map of audience ids ('<label_kind>:<label>') to whole-number priorities" -%}
        {%- if value is not mapping -%}{{ segmentation.setting_error(name, value, allowed) }}{%- endif -%}
        {%- set checked = {} -%}
        {%- for audience_id, priority in value.items() -%}
            {%- set number = segmentation.setting_number(priority, true) -%}
            {%- if audience_id is not string or number is none or number | abs > 1000000000 -%}
                {{ segmentation.setting_error(name, value, allowed ~ "; '" ~ audience_id ~ "' has '" ~ priority ~ "'") }}
            {%- endif -%}
            {%- do checked.update({audience_id: number}) -%}
        {%- endfor -%}
        {{ return(checked) }}
    {%- elif kind == 'date' -%}
        {%- set text = value.isoformat() if value is not string and value.isoformat is defined else value | string -%}
        {%- set match = modules.re.match('^([0-9]{4})-([0-9]{2})-([0-9]{2})$', text) -%}
        {%- if not match or not segmentation.is_calendar_date(match) -%}
            {{ segmentation.setting_error(name, value, "a date 'YYYY-MM-DD'") }}
        {%- endif -%}
        {{ return(text) }}
    {%- elif kind == 'timestamp' -%}
        {%- set text = value.isoformat(' ') if value is not string and value.isoformat is defined else value | string -%}
        {%- set match = modules.re.match(
            '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:[.][0-9]{1,6})?)?)?$', text) -%}
        {%- if not match or not segmentation.is_calendar_date(match) -%}
            {{ segmentation.setting_error(name, value,
                rule.get('expected', "a UTC timestamp 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]'")) }}
        {%- endif -%}
        {{ return(text | replace('T', ' ')) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("segmentation: unknown rule type " ~ kind ~ " for var " ~ name) }}
{% endmacro %}


{#- A finite number (an integer when `whole`) from a number or its text, else none. -#}
{% macro setting_number(value, whole) %}
    {%- if value is sameas true or value is sameas false or value is none -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set pattern = '^-?[0-9]+$' if whole else '^-?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,2})?$' -%}
    {%- if whole and value is number and value == value and (value | abs) < 1e15 and value == value | int -%}
        {%- set text = value | int | string -%}
    {%- endif -%}
    {%- if not modules.re.match(pattern, text) -%}{{ return(none) }}{%- endif -%}
    {{ return(text | int if whole else text | float) }}
{% endmacro %}


{#- Whether a (year, month, day) regex match is a real calendar date. -#}
{% macro is_calendar_date(match) %}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(year >= 1 and 1 <= month <= 12 and 1 <= day <= days[month - 1]) }}
{% endmacro %}
