{% snapshot segmentation__customer_labels_snapshot %}
{#- Type 2 history of every customer's labels (int_segmentation__customer_labels),
    one version per change. A label that disappears (the customer left the
    segment, became ineligible or left the data) is closed by a version whose
    label is null, stamped with this build's time like every other change;
    dbt's hard_deletes would stamp it with the snapshot's clock instead
    (docs/decisions/0012). -#}
{{ config(
    unique_key='membership_key',
    strategy='check',
    check_cols=['label'],
    updated_at='labelled_at',
) }}

with

current_labels as (
    select * from {{ ref('int_segmentation__customer_labels') }}
)

select
    membership_key,
    customer_id,
    label_kind,
    label_slot,
    label,
    labelled_at
from current_labels

{%- if execute and adapter.get_relation(this.database, this.schema, this.identifier) is not none %}

union all

-- Open labels that are gone now: close them with a null label.
select
    open_labels.membership_key,
    open_labels.customer_id,
    open_labels.label_kind,
    open_labels.label_slot,
    cast(null as {{ dbt.type_string() }}) as label,
    coalesce(
        (select max(labels_now.labelled_at) from current_labels as labels_now),
        {{ segmentation.run_timestamp() }}
    ) as labelled_at
from {{ this }} as open_labels
left join current_labels
    on open_labels.membership_key = current_labels.membership_key
where open_labels.dbt_valid_to is null
    and open_labels.label is not null
    and current_labels.membership_key is null
{%- endif %}

{% endsnapshot %}
