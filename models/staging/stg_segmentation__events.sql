-- One row per accepted event (exact duplicates removed). Events have no id.
-- The session key is written here once: the event's session_id, or its
-- customer and (UTC) day when the input gives none.
{%- set text = dbt.type_string() %}

with

{% if segmentation.is_input_enabled('events') -%}
validated as (
    select * from {{ ref('base_segmentation__events') }}
    where rejection_reason_code is null
),
{%- else -%}
-- The input is switched off: no rows, the same columns and types.
validated as (
    {{ segmentation.empty_input('events') }}
),
{%- endif %}

final as (
    select
        -- ids
        customer_id,
        session_id,
        coalesce(
            session_id,
            customer_id || ':' || cast(cast(occurred_at as date) as {{ text }})
        ) as session_key,
        -- strings
        event_type,
        device_type,
        os,
        browser,
        platform,
        -- dates
        occurred_at
    from validated
)

select * from final
