-- One row per audience: every cluster segment, RFM segment, lifecycle stage and
-- predicted-value audience a customer has ever held (kept when it empties, so a
-- CRM audience does not vanish), and every user-defined audience of the
-- definitions seed.
{%- set priorities = segmentation.setting('segmentation__audience_priorities') or {} %}
{%- set default_share = segmentation.setting('segmentation__holdout_share') %}

with

definitions as (
    select * from {{ segmentation.audience_definitions_relation() }}
),

labels_seen as (
    select distinct
        label_kind,
        label
    from {{ ref('segmentation__customer_labels_snapshot') }}
    where label is not null
        and label_kind != 'audience'
),

segment_names as (
    select
        segment_id,
        segment_name as named_name,
        segment_description as named_description
    from {{ ref('int_segmentation__segment_names') }}
),

segment_profiles as (
    select
        segment_id,
        segment_name as profile_name,
        segment_description as profile_description
    from {{ ref('int_segmentation__segment_profiles') }}
),

built_in as (
    select
        labels_seen.label_kind,
        labels_seen.label,
        case
            when labels_seen.label_kind = 'cluster_segment'
                then coalesce(segment_profiles.profile_name, segment_names.named_name)
            when labels_seen.label_kind = 'predicted_value' and labels_seen.label = 'high_value_at_risk'
                then 'High value at risk'
            when labels_seen.label_kind = 'predicted_value' and labels_seen.label = 'likely_to_buy_soon'
                then 'Likely to buy soon'
            else labels_seen.label
        end as audience_name,
        case
            when labels_seen.label_kind = 'cluster_segment'
                then coalesce(segment_profiles.profile_description, segment_names.named_description)
            when labels_seen.label_kind = 'rfm_segment'
                then 'Customers in the RFM segment ' || labels_seen.label || '.'
            when labels_seen.label_kind = 'predicted_value' and labels_seen.label = 'high_value_at_risk'
                then 'Customers worth the most if they stay active whose probability of still being active'
                    || ' has fallen (segmentation__customer_value).'
            when labels_seen.label_kind = 'predicted_value' and labels_seen.label = 'likely_to_buy_soon'
                then 'Customers expected to buy again within the value horizon (segmentation__customer_value).'
            else 'Customers in the lifecycle stage ' || labels_seen.label || '.'
        end as audience_description,
        cast(null as {{ dbt.type_int() }}) as priority,
        cast(null as {{ segmentation.type_double() }}) as holdout_share,
        false as is_user_defined
    from labels_seen
    left join segment_profiles
        on labels_seen.label_kind = 'cluster_segment'
            and labels_seen.label = cast(segment_profiles.segment_id as {{ dbt.type_string() }})
    left join segment_names
        on labels_seen.label_kind = 'cluster_segment'
            and labels_seen.label = cast(segment_names.segment_id as {{ dbt.type_string() }})
),

user_defined as (
    select
        'audience' as label_kind,
        cast(audience_key as {{ dbt.type_string() }}) as label,
        audience_name,
        audience_description,
        cast(priority as {{ dbt.type_int() }}) as priority,
        cast(holdout_share as {{ segmentation.type_double() }}) as holdout_share,
        true as is_user_defined
    from definitions
),

audiences as (
    select * from built_in
    union all
    select * from user_defined
),

final as (
    select
        -- ids
        audiences.label_kind || ':' || audiences.label as audience_id,
        -- strings
        audiences.label_kind,
        audiences.label,
        coalesce(audiences.audience_name, audiences.label) as audience_name,
        audiences.audience_description,
        -- numbers
        {%- if priorities %}
        coalesce(
            audiences.priority,
            case audiences.label_kind || ':' || audiences.label
                {%- for audience_id, priority in priorities.items() | sort %}
                when {{ segmentation.sql_literal(audience_id) }} then {{ priority }}
                {%- endfor %}
            end
        ) as priority,
        {%- else %}
        audiences.priority,
        {%- endif %}
        coalesce(audiences.holdout_share, {{ default_share }}) as holdout_share,
        -- booleans
        audiences.is_user_defined
    from audiences
)

select * from final
