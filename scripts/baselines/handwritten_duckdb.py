"""The benchmark's hand-written DuckDB baseline: the same features and fit as the
package, written as one would by hand on one DuckDB connection.

    python scripts/baselines/handwritten_duckdb.py --data DIR [--out features.parquet]

Reads the parquet (or CSV) files directly, casts what the features need, and builds
the package's feature columns in a few passes: orders, order lines, events and
touches are each typed once into a temporary table and aggregated per customer
(events once per session and once per device combination, the four "primary"
columns taken from the combinations). The fit uses the cluster model's own
functions on the same sample; assignment to the nearest centroid is SQL.
Prints a JSON summary on the last line.

NO VALIDATION: no rejection reasons, no audit, no duplicate handling. Only what
the features cannot do without: rows whose required fields do not cast or lie in
the future are dropped (else the as-of date would be 2099), and rows of unknown
customers or orders fall out of the joins. It also skips everything after the
fit that the package builds (profiles, names, marts, snapshot, activation, tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_common import SUMMARY_FEATURES, fit, fitted_spec

from segmentation_demo.load import file_reader, input_file

SEGMENT_MAP = Path(__file__).resolve().parents[2] / "seeds" / "rfm_segment_map.csv"

TYPED = """
create temp table customers as
select distinct
    customer_id, gender, education, occupation, country, region, city,
    try_cast(income as double) as income,
    try_cast(birth_date as date) as birth_date,
    cast(try_cast(signup_at as timestamp) as date) as signup_date
from {customers}
where customer_id is not null
    and coalesce(try_cast(signup_at as timestamp), timestamp '1900-01-01') <= now()::timestamp;

create temp table orders as
select
    order_id, customer_id, channel, lower(status) as status, ordered_at,
    cast(ordered_at as date) as order_date,
    order_total, coalesce(discount_total, 0) as discount_total,
    case when hour(ordered_at) < 6 then 'night' when hour(ordered_at) < 12 then 'morning'
         when hour(ordered_at) < 18 then 'afternoon' else 'evening' end as daypart
from (
    select order_id, customer_id, channel, status,
        try_cast(ordered_at as timestamp) as ordered_at,
        try_cast(order_total as decimal(38, 6)) as order_total,
        try_cast(discount_total as decimal(38, 6)) as discount_total
    from {orders}
)
where order_id is not null and customer_id is not null and order_total is not null
    and ordered_at <= now()::timestamp
    and customer_id in (select customer_id from customers);

create temp table as_of as select max(order_date) as as_of_date from orders;

create temp table items as
select orders.customer_id, items.order_id, items.category,
    items.quantity, items.unit_price,
    cast(items.quantity * items.unit_price as decimal(38, 6)) as line_value
from (
    select order_id, category, try_cast(quantity as double) as quantity,
        try_cast(unit_price as decimal(38, 6)) as unit_price
    from {order_items}
) as items
inner join orders on items.order_id = orders.order_id
where items.category is not null;

create temp table events as
select customer_id, event_type, device_type, os, browser, platform,
    coalesce(session_id, customer_id || ':' || cast(cast(occurred_at as date) as varchar))
        as session_key
from (
    select customer_id, event_type, session_id, device_type, os, browser, platform,
        try_cast(occurred_at as timestamp) as occurred_at
    from {events}
)
where occurred_at < (select as_of_date from as_of) + interval 1 day
    and event_type is not null
    and customer_id in (select customer_id from customers);

create temp table touches as
select customer_id, opened_at is not null as opened, clicked_at is not null as clicked,
    converted_at is not null as converted
from {marketing_touches}
where try_cast(sent_at as timestamp) < (select as_of_date from as_of) + interval 1 day
    and campaign_id is not null
    and customer_id in (select customer_id from customers);
"""

FEATURES = """
create temp table features as
with
order_stats as (
    select customer_id,
        count(*) as order_count,
        min(order_date) as first_order_date, max(order_date) as last_order_date,
        sum(order_total) as monetary_total, avg(order_total) as average_order_value,
        avg(case when discount_total > 0 then 1.0 else 0.0 end) as discount_order_share,
        avg(case when status in ('returned', 'cancelled', 'refunded') then 1.0 else 0.0 end)
            as return_cancel_rate,
        avg(case when dayofweek(ordered_at) in (0, 6) then 1.0 else 0.0 end)
            as weekend_order_share,
        count(distinct channel) as distinct_order_channels,
        sum(discount_total) as discount_sum
    from orders group by customer_id
),
scored as (
    select *,
        date_diff('day', last_order_date, (select as_of_date from as_of)) as recency_days,
        ntile(5) over (order by date_diff('day', last_order_date, (select as_of_date from as_of))
                       desc, customer_id) as r_score,
        ntile(5) over (order by order_count, customer_id) as f_score,
        ntile(5) over (order by monetary_total, customer_id) as m_score
    from order_stats
),
gaps as (
    select customer_id, avg(gap) as mean_days_between_orders,
        stddev_samp(gap) as stddev_days_between_orders
    from (
        select customer_id, date_diff('day', lag(order_date) over (
            partition by customer_id order by ordered_at, order_id), order_date) as gap
        from orders
    ) where gap is not null group by customer_id
),
date_gaps as (
    select customer_id, median(gap) as median_gap_days,
        arg_max(gap, order_date) as last_gap_days
    from (
        select customer_id, order_date, date_diff('day', lag(order_date) over (
            partition by customer_id order by order_date), order_date) as gap
        from (select distinct customer_id, order_date from orders)
    ) group by customer_id
),
channel_counts as (
    select customer_id, channel, daypart, count(*) as n from orders group by all
),
channel as (
    select customer_id, first(channel order by n desc, channel) as primary_order_channel,
        max(n) / sum(n) as primary_order_channel_share
    from (select customer_id, channel, sum(n) as n from channel_counts
          where channel is not null group by all) group by customer_id
),
daypart as (
    select customer_id, first(daypart order by n desc, daypart) as preferred_order_daypart,
        max(n) / sum(n) as preferred_order_daypart_share
    from (select customer_id, daypart, sum(n) as n from channel_counts group by all)
    group by customer_id
),
category_prices as (
    select category, median(unit_price) as median_price from items group by category
),
category_spend as (
    select customer_id, category, sum(line_value) as spend, sum(quantity) as quantity,
        sum(case when unit_price / nullif(median_price, 0) >= 1.25 then quantity else 0 end)
            as premium,
        sum(case when unit_price / nullif(median_price, 0) <= 0.8 then quantity else 0 end)
            as value_items,
        sum(unit_price / nullif(median_price, 0) * quantity) as weighted_index,
        count(distinct order_id) as orders_with_category
    from items inner join category_prices using (category) group by all
),
item_stats as (
    select customer_id, count(*) as distinct_categories,
        first(category order by spend desc, category) as favourite_category,
        max(spend) / nullif(sum(spend), 0) as favourite_category_spend_share,
        sum(premium) / nullif(sum(quantity), 0) as premium_item_share,
        sum(value_items) / nullif(sum(quantity), 0) as value_item_share,
        sum(weighted_index) / nullif(sum(quantity), 0) as average_price_index,
        sum(share * share) as category_concentration
    from (select *, spend / nullif(sum(spend) over (partition by customer_id), 0) as share
          from category_spend) group by customer_id
),
baskets as (
    select customer_id, avg(units) as average_basket_size
    from (select customer_id, order_id, sum(quantity) as units from items group by all)
    group by customer_id
),
sessions as (
    select customer_id,
        count(*) as session_count,
        avg(has_purchase) as browse_to_buy_conversion,
        sum(has_cart * (1 - has_purchase)) / nullif(sum(has_cart), 0) as cart_abandonment_rate,
        avg(is_mobile) as mobile_session_share
    from (
        select customer_id, session_key,
            max(case when event_type = 'purchase' then 1.0 else 0.0 end) as has_purchase,
            max(case when event_type = 'add_to_cart' then 1.0 else 0.0 end) as has_cart,
            max(case when device_type in ('mobile', 'tablet') then 1.0 else 0.0 end) as is_mobile
        from events group by customer_id, session_key
    ) group by customer_id
),
device_combos as (
    select customer_id, device_type, os, browser, platform, count(*) as n
    from events group by all
),
devices as (
    select customer_id, sum(n) as event_count,
        count(distinct coalesce(device_type, '?') || '/' || coalesce(os, '?')) as distinct_devices,
        bool_or(platform in ('ios_app', 'android_app')) as has_adopted_app
    from device_combos group by customer_id
),
{modes}
touch_stats as (
    select customer_id, count(*) as touches_received, avg(opened::int) as open_rate,
        avg(clicked::int) as click_rate, avg(converted::int) as campaign_conversion_rate
    from touches group by customer_id
),
discounts as (
    select customer_id,
        sum(discount_total) / nullif(sum(order_total + discount_total), 0) as discount_sensitivity
    from orders group by customer_id
)
select
    c.customer_id,
    (year(a.as_of_date) - year(c.birth_date) - case when month(a.as_of_date) * 100
        + day(a.as_of_date) < month(c.birth_date) * 100 + day(c.birth_date) then 1 else 0 end)
        as age_years,
    c.gender, c.income, c.education, c.occupation, c.country, c.region, c.city,
    date_diff('day', c.signup_date, a.as_of_date) as tenure_days,
    s.recency_days, s.monetary_total, s.average_order_value as monetary_average,
    s.r_score, s.f_score, s.m_score, s.r_score || s.f_score || s.m_score as rfm_cell,
    s.first_order_date, s.last_order_date,
    coalesce(s.order_count, 0) as order_count,
    30 * s.order_count / greatest(date_diff('day', s.first_order_date, a.as_of_date), 1)
        as orders_per_30_days,
    s.average_order_value::double as average_order_value,
    g.mean_days_between_orders, g.stddev_days_between_orders,
    s.discount_order_share::double as discount_order_share,
    s.return_cancel_rate::double as return_cancel_rate,
    i.distinct_categories, i.favourite_category, i.favourite_category_spend_share::double
        as favourite_category_spend_share,
    ch.primary_order_channel, ch.primary_order_channel_share, s.distinct_order_channels,
    b.average_basket_size, s.weekend_order_share::double as weekend_order_share,
    dp.preferred_order_daypart, dp.preferred_order_daypart_share,
    coalesce(se.session_count, 0) as session_count, coalesce(d.event_count, 0) as event_count,
    se.session_count / s.order_count as sessions_per_order,
    se.browse_to_buy_conversion, se.cart_abandonment_rate,
    coalesce(t.touches_received, 0) as touches_received, t.open_rate, t.click_rate,
    t.campaign_conversion_rate,
    m.primary_device_type, m.primary_os, m.primary_browser, m.primary_platform,
    d.has_adopted_app, se.mobile_session_share, d.distinct_devices,
    case when i.premium_item_share >= 0.5 then 'premium' when i.value_item_share >= 0.5
        then 'value' when i.premium_item_share is not null then 'mixed' end
        as price_tier_preference,
    i.premium_item_share, i.value_item_share, i.average_price_index,
    ds.discount_sensitivity::double as discount_sensitivity, i.category_concentration,
    case when s.last_order_date is null then 'prospect'
        when date_diff('day', s.first_order_date, a.as_of_date) <= 90 then 'new'
        when s.recency_days >= 365 then 'lapsed'
        when s.recency_days > coalesce(2 * dg.median_gap_days, 120) then 'at_risk'
        when dg.last_gap_days >= 365 then 'reactivated'
        else 'active' end as lifecycle_stage,
    date_diff('day', s.first_order_date, a.as_of_date) as days_since_first_order,
    s.recency_days as days_since_last_order,
    dg.median_gap_days, coalesce(2 * dg.median_gap_days, 120) as at_risk_after_days,
    a.as_of_date
from customers as c
cross join as_of as a
left join scored as s using (customer_id)
left join gaps as g using (customer_id)
left join date_gaps as dg using (customer_id)
left join channel as ch using (customer_id)
left join daypart as dp using (customer_id)
left join item_stats as i using (customer_id)
left join baskets as b using (customer_id)
left join sessions as se using (customer_id)
left join devices as d using (customer_id)
left join modes as m using (customer_id)
left join touch_stats as t using (customer_id)
left join discounts as ds using (customer_id)
"""

MODE = """{column}_mode as (
    select customer_id, first({column} order by n desc, {column}) as primary_{column}
    from (select customer_id, {column}, sum(n) as n from device_combos
          where {column} is not null group by all) group by customer_id
),"""
MODE_COLUMNS = ("device_type", "os", "browser", "platform")


def modes_sql() -> str:
    parts = [MODE.format(column=c) for c in MODE_COLUMNS]
    joins = " ".join(f"left join {c}_mode using (customer_id)" for c in MODE_COLUMNS[1:])
    columns = ", ".join(f"primary_{c}" for c in MODE_COLUMNS)
    parts.append(f"modes as (select customer_id, {columns} from {MODE_COLUMNS[0]}_mode {joins}),")
    return "\n".join(parts)


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value))
    return "'" + str(value).replace("'", "''") + "'"


def dimension(entry: dict) -> str:
    """One model dimension in SQL, as cluster_dimension (and the Python model) computes it."""
    column = entry["column"]
    if entry["transform"] == "indicator":
        value = f"case when {column} = {literal(entry['value'])} then 1.0 else 0.0 end"
        return f"({value} - {literal(entry['center'])}) / {literal(entry['scale'])}"
    value = f"ln(1 + greatest({column}::double, 0))" if entry["transform"] == "log1p" else (
        f"{column}::double")  # fmt: skip
    scaled = f"({value} - {literal(entry['center'])}) / {literal(entry['scale'])}"
    return f"case when {column} is null then 0.0 else {scaled} end"


def run(data_dir: Path, out: Path | None = None, memory_limit: str = "10GB") -> dict:
    data_dir = Path(data_dir)
    readers = {
        name: file_reader(input_file(data_dir, name))
        for name in ("customers", "orders", "order_items", "events", "marketing_touches")
    }
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False})
    con.execute(TYPED.format(**readers))
    con.execute(FEATURES.format(modes=modes_sql()))
    # The category affinities, one column per category (the package's psychographic pivots).
    con.execute(
        "create temp table affinity as pivot (select customer_id, 'affinity_' || category as c, "
        "sum(line_value) / sum(sum(line_value)) over (partition by customer_id) as share "
        "from items group by customer_id, category) on c using first(share)"
    )
    con.execute(
        "create temp table rfm_map as select rfm_cell::varchar as rfm_cell, rfm_segment "
        f"from read_csv('{SEGMENT_MAP}', all_varchar = true)"
    )

    eligible = con.execute(
        "select * from features where order_count >= 1 order by md5(customer_id) limit 200000"
    ).df()
    [(count,)] = con.execute("select count(*) from features where order_count >= 1").fetchall()
    fitted = fit(eligible, count)
    spec, centroids, segment_ids = fitted_spec(fitted)
    values = ", ".join(
        "(" + ", ".join([str(int(i)), *(repr(float(v)) for v in c)]) + ")"
        for i, c in zip(segment_ids, centroids, strict=True)
    )
    dims = [f"d{j}" for j in range(len(spec))]
    con.execute(f"create temp table centroids as select * from (values {values}) "
                f"as t (segment_id, {', '.join(dims)})")  # fmt: skip
    dims_sql = ", ".join(f"{dimension(e)} as d{j}" for j, e in enumerate(spec))
    distance = " + ".join(f"(x.d{j} - c.d{j}) ** 2" for j in range(len(spec)))
    con.execute(
        f"""
        create temp table assignments as
        select x.customer_id, arg_min(c.segment_id, ({distance}, c.segment_id)) as segment_id
        from (select customer_id, {dims_sql} from features where order_count >= 1) as x
        cross join centroids as c
        group by x.customer_id
        """
    )
    if out is not None:
        con.execute(
            f"copy (select f.*, m.rfm_segment, a.segment_id, p.* exclude (customer_id) "
            "from features f left join rfm_map m using (rfm_cell) "
            "left join assignments a using (customer_id) left join affinity p using (customer_id)) "
            f"to '{out}' (format parquet)"
        )
    means = ", ".join(f"avg({c}::double)" for c in SUMMARY_FEATURES)
    row = con.execute(
        f"select count(*), count(*) filter (order_count >= 1), {means} from features"
    ).fetchone()
    sizes = [
        n for (n,) in con.execute("select count(*) from assignments group by segment_id").fetchall()
    ]
    [(orders,)] = con.execute("select count(*) from orders").fetchall()
    return {
        "customers": row[0], "orders": orders, "eligible_customers": row[1],
        "k": int(fitted["k"].iloc[0]), "segment_sizes": sorted(sizes),
        "means": dict(zip(SUMMARY_FEATURES, row[2:], strict=True)),
        "validation": "none",
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="write the features here")
    parser.add_argument("--memory-limit", default="10GB")
    args = parser.parse_args()
    print(json.dumps(run(args.data, args.out, args.memory_limit)))


if __name__ == "__main__":
    main()
