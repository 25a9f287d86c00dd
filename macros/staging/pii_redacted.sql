{#- True when a contract column is PII and the project keeps PII out of the
    rejected-rows audit (var segmentation__redact_pii_in_rejected_rows, default
    true): its value is replaced by '(redacted)' in raw_values and messages. -#}
{% macro pii_redacted(column) %}
    {{ return(column.get('pii', false) and var('segmentation__redact_pii_in_rejected_rows', true)) }}
{% endmacro %}
