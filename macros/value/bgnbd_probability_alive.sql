{#- BG/NBD's probability that a customer is still active (Fader, Hardie & Lee 2005,
    eq. 11): 1 / D with D = 1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x),
    in log space (the exponent is capped at 700, where P(alive) is 0 to double
    precision). `frequency`, `recency` and `age` in periods; null when the
    parameters are (the fit's reason is in segmentation__value_model). The same
    1 / D divides the hypergeometric numerator of segmentation__value_curves into
    expected purchases. -#}
{% macro bgnbd_probability_alive(frequency, recency, age, r, alpha, a, b) %}
    {{ return(adapter.dispatch('bgnbd_probability_alive', 'segmentation')(frequency, recency, age, r, alpha, a, b)) }}
{% endmacro %}

{% macro default__bgnbd_probability_alive(frequency, recency, age, r, alpha, a, b) -%}
    case
        when {{ r }} is null or {{ alpha }} is null or {{ a }} is null or {{ b }} is null then null
        when {{ frequency }} = 0 then 1.0
        else 1.0 / (1.0 + exp(least(
            ln({{ a }}) - ln({{ b }} + {{ frequency }} - 1)
            + ({{ r }} + {{ frequency }}) * (ln({{ alpha }} + {{ age }}) - ln({{ alpha }} + {{ recency }})),
            700.0
        )))
    end
{%- endmacro %}
