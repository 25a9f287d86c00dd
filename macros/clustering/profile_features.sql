{#- The numeric features of segmentation__customer_features that segment
    profiles describe (mean, median, z-score), in column order. -#}
{% macro profile_features() %}
    {{ return([
        'order_count', 'orders_per_30_days', 'average_order_value', 'monetary_total',
        'recency_days', 'days_since_first_order', 'tenure_days', 'age_years', 'income',
        'discount_order_share', 'return_cancel_rate', 'distinct_categories',
        'average_basket_size', 'weekend_order_share', 'session_count', 'sessions_per_order',
        'browse_to_buy_conversion', 'cart_abandonment_rate', 'open_rate', 'click_rate',
        'mobile_session_share', 'has_adopted_app', 'premium_item_share',
        'discount_sensitivity', 'category_concentration',
    ]) }}
{% endmacro %}
