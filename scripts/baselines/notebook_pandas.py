"""The benchmark's pandas + scikit-learn baseline: what a careful data scientist's
notebook does with the same files, written as well as we can.

    python scripts/baselines/notebook_pandas.py --data DIR [--out features.parquet]

Reads the six inputs (parquet or CSV, every column text), validates them with the
package's rejection kinds (null keys, missing required values, unparseable
timestamps and numbers, out-of-range and future values, negative amounts,
non-positive quantities, unknown event types, duplicates, unknown parents; the
first failing check per row, counted), computes the package's feature families
(demographics, RFM, behaviour, technographics, psychographics incl. category
affinities and declared attributes, lifecycle) with vectorised groupbys on
integer customer codes, fits with the cluster model's own functions (same
features, transforms, k search and sample) and assigns every eligible customer to
the nearest centroid in numpy. Prints a JSON summary on the last line.

Not done (the package does): the rejected-rows audit with messages, the RFM
summary for CLV models, segment profiles, names, marts, the membership snapshot,
activation and the data tests.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from fit_common import cluster_model, fit, fitted_spec, summary

from segmentation_demo.load import input_file

# The package's default vars (dbt_project.yml).
EVENT_TYPES = ["page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
               "checkout_start", "purchase", "app_open", "login"]  # fmt: skip
RETURNED = ["returned", "cancelled", "refunded"]
MOBILE = ["mobile", "tablet"]
APP_PLATFORMS = ["ios_app", "android_app"]
AGE_EDGES, INCOME_EDGES = [25, 35, 45, 55, 65], [25000, 50000, 75000, 100000, 150000]
PREMIUM_RATIO, VALUE_RATIO = 1.25, 0.8
NEW_DAYS, AT_RISK_DAYS, LAPSED_DAYS, GAP_MULTIPLIER = 90, 120, 365, 2
MONEY_BOUND, QUANTITY_BOUND = 1e12, 1e9
MIN_TIMESTAMP = pd.Timestamp("1900-01-01")


def read(data_dir: Path, name: str) -> pd.DataFrame:
    """One input, every column text (pyarrow-backed strings)."""
    path = input_file(data_dir, name)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    # Only an empty field is null: 'n/a' or 'NULL' is text that validation must see.
    return pd.read_csv(path, dtype="str", engine="pyarrow", keep_default_na=False, na_values=[""])


def timestamp(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="ISO8601", errors="coerce")


def number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


class Validator:
    """The first failing check per row, in the package's order; counts per reason."""

    def __init__(self, name: str, frame: pd.DataFrame, now: pd.Timestamp) -> None:
        self.name, self.frame, self.now = name, frame, now
        self.reason = np.zeros(len(frame), dtype=np.int8)
        self.codes: list[str] = []

    def check(self, code: str, failed) -> None:
        failed = np.asarray(failed, dtype=bool) & (self.reason == 0)
        if code not in self.codes:
            self.codes.append(code)
        self.reason[failed] = self.codes.index(code) + 1

    def parse(self, timestamps=(), numbers=(), dates=()) -> None:
        """Typed columns in place, with the unparseable, out-of-range and future checks."""
        frame, parsed = self.frame, {}
        for column in (*timestamps, *dates, *numbers):
            raw = frame[column]
            parsed[column] = number(raw) if column in numbers else timestamp(raw)
            kind = "number" if column in numbers else "timestamp"
            self.check(f"unparseable_{kind}", raw.notna() & parsed[column].isna())
        for column in numbers:
            bound = QUANTITY_BOUND if column == "quantity" else MONEY_BOUND
            self.check("out_of_range", parsed[column].abs() > bound)
        for column in (*timestamps, *dates):
            self.check("out_of_range", parsed[column] < MIN_TIMESTAMP)
        for column in (*timestamps, *dates):
            self.check("future_timestamp", parsed[column] > self.now)
        for column, values in parsed.items():
            frame[column] = values.dt.normalize() if column in dates else values

    def ok(self) -> np.ndarray:
        return self.reason == 0

    def counts(self) -> dict[str, int]:
        found = np.bincount(self.reason, minlength=len(self.codes) + 1)
        return {
            f"{self.name}.{c}": int(found[i + 1]) for i, c in enumerate(self.codes) if found[i + 1]
        }


def validate(data_dir: Path, now: pd.Timestamp) -> tuple[dict[str, pd.DataFrame], dict]:
    """Accepted rows of every input (customer and order ids as integer codes) and the
    rejected-row counts per input and reason."""
    rejected: dict[str, int] = {}

    customers = read(data_dir, "customers")
    check = Validator("customers", customers, now)
    check.check("null_key", customers["customer_id"].isna())
    check.parse(timestamps=["signup_at"], dates=["birth_date"], numbers=["income"])
    check.check("negative_amount", customers["income"] < 0)
    ok = check.ok()
    check.check("duplicate_key", ok & customers["customer_id"].where(ok).duplicated().to_numpy())
    rejected |= check.counts()
    customers = customers[check.ok()].reset_index(drop=True)
    customer_index = pd.Index(customers["customer_id"])

    orders = read(data_dir, "orders")
    check = Validator("orders", orders, now)
    check.check("null_key", orders["order_id"].isna())
    for column in ("customer_id", "ordered_at", "order_total"):
        check.check("missing_required_value", orders[column].isna())
    check.parse(timestamps=["ordered_at"], numbers=["order_total", "discount_total"])
    check.check("negative_amount", (orders["order_total"] < 0) | (orders["discount_total"] < 0))
    ok = check.ok()
    check.check("duplicate_key", ok & orders["order_id"].where(ok).duplicated().to_numpy())
    orders["customer"] = customer_index.get_indexer(orders["customer_id"])
    check.check("unknown_customer", orders["customer"] < 0)
    rejected |= check.counts()
    orders = orders[check.ok()].reset_index(drop=True)
    order_index = pd.Index(orders["order_id"])

    items = read(data_dir, "order_items")
    check = Validator("order_items", items, now)
    for column in ("order_id", "category"):
        check.check("missing_required_value", items[column].isna())
    check.parse(numbers=["quantity", "unit_price"])
    check.check("negative_amount", items["unit_price"] < 0)
    check.check("non_positive_quantity", items["quantity"] <= 0)
    items["order"] = order_index.get_indexer(items["order_id"])
    check.check("unknown_order", items["order"] < 0)
    rejected |= check.counts()
    items = items[check.ok()].reset_index(drop=True)

    events = read(data_dir, "events")
    raw_columns = list(events.columns)
    check = Validator("events", events, now)
    for column in ("customer_id", "occurred_at", "event_type"):
        check.check("missing_required_value", events[column].isna())
    check.parse(timestamps=["occurred_at"])
    check.check("unknown_event_type", ~events["event_type"].isin(EVENT_TYPES))
    ok = check.ok()
    # An exact copy of an accepted event is a double-fired duplicate; rows are compared
    # by a 64-bit hash of all their values (8 bytes a row instead of a copy of the frame).
    row_hash = pd.util.hash_pandas_object(events[raw_columns], index=False).to_numpy()
    copies = np.zeros(len(events), dtype=bool)
    copies[ok] = pd.Series(row_hash[ok]).duplicated().to_numpy()
    check.check("duplicate_key", copies)
    events["customer"] = customer_index.get_indexer(events["customer_id"])
    check.check("unknown_customer", events["customer"] < 0)
    rejected |= check.counts()
    events = events[check.ok()].reset_index(drop=True)

    touches = read(data_dir, "marketing_touches")
    check = Validator("marketing_touches", touches, now)
    for column in ("customer_id", "campaign_id", "sent_at"):
        check.check("missing_required_value", touches[column].isna())
    check.parse(timestamps=["sent_at", "opened_at", "clicked_at", "converted_at"])
    ok = check.ok()
    key = ["customer_id", "campaign_id", "channel", "sent_at"]
    check.check("duplicate_key", ok & touches[key][ok].duplicated().reindex(
        touches.index, fill_value=False).to_numpy())  # fmt: skip
    touches["customer"] = customer_index.get_indexer(touches["customer_id"])
    check.check("unknown_customer", touches["customer"] < 0)
    rejected |= check.counts()
    touches = touches[check.ok()].reset_index(drop=True)

    attributes = read(data_dir, "customer_attributes")
    check = Validator("customer_attributes", attributes, now)
    check.check("null_key", attributes["customer_id"].isna() | attributes["attribute"].isna())
    ok = check.ok()
    check.check("duplicate_key", ok & attributes[["customer_id", "attribute"]][ok].duplicated()
                .reindex(attributes.index, fill_value=False).to_numpy())  # fmt: skip
    attributes["customer"] = customer_index.get_indexer(attributes["customer_id"])
    check.check("unknown_customer", attributes["customer"] < 0)
    rejected |= check.counts()
    attributes = attributes[check.ok()].reset_index(drop=True)

    inputs = {"customers": customers, "orders": orders, "order_items": items, "events": events,
              "marketing_touches": touches, "customer_attributes": attributes}  # fmt: skip
    return inputs, rejected


def most_frequent(keys: pd.Series, values: pd.Series, n: int, weights=None) -> pd.DataFrame:
    """Per customer code: the most frequent non-null value (by weight; ties to the
    smaller value) and its share of the customer's total weight."""
    frame = pd.DataFrame({"customer": keys, "value": values,
                          "weight": 1.0 if weights is None else weights})  # fmt: skip
    frame = frame[frame["value"].notna()]
    weighted = frame.groupby(["customer", "value"], observed=True, sort=False)["weight"].sum()
    weighted = weighted.reset_index().sort_values(
        ["customer", "weight", "value"], ascending=[True, False, True]
    )
    total = weighted.groupby("customer")["weight"].sum()
    top = weighted.drop_duplicates("customer").set_index("customer")
    top["share"] = top["weight"] / total.reindex(top.index).replace(0, np.nan)
    return top[["value", "share"]].reindex(range(n))


def first_match(conditions: list, labels: list[str], default: str | None) -> np.ndarray:
    """The label of the first true condition per row (a SQL case ladder), else default."""
    result = np.full(len(conditions[0]), default, dtype=object)
    for condition, label in reversed(list(zip(conditions, labels, strict=True))):
        result[np.asarray(pd.Series(condition).fillna(False), dtype=bool)] = label
    return result


def band(values: pd.Series, edges: list[int]) -> pd.Series:
    labels = [f"<{edges[0]}"] + [f"{a}-{b - 1}" for a, b in itertools.pairwise(edges)]
    labels.append(f"{edges[-1]}+")
    codes = np.searchsorted(edges, values.to_numpy(dtype=float, na_value=np.nan), side="right")
    result = pd.Series(np.array(labels, dtype=object)[np.minimum(codes, len(labels) - 1)])
    return result.where(values.notna().to_numpy())


def ntile5(values: pd.Series, customer_ids: pd.Series, ascending: bool) -> np.ndarray:
    """SQL ntile(5) over (order by value, customer_id): first buckets take the remainder."""
    order = np.lexsort((customer_ids.to_numpy(), values.to_numpy() * (1 if ascending else -1)))
    n = len(values)
    sizes = np.full(5, n // 5) + (np.arange(5) < n % 5)
    scores = np.empty(n, dtype=np.int64)
    scores[order] = np.repeat(np.arange(1, 6), sizes)
    return scores


def features(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per accepted customer: the package's segmentation__customer_features
    columns, plus affinity_<category> and declared_<attribute>."""
    customers, orders = inputs["customers"], inputs["orders"]
    n = len(customers)
    as_of = orders["ordered_at"].max().normalize()
    out = pd.DataFrame({"customer_id": customers["customer_id"]})

    # demographics
    birth = customers["birth_date"]
    age = (
        as_of.year
        - birth.dt.year
        - ((as_of.month * 100 + as_of.day) < (birth.dt.month * 100 + birth.dt.day))
    )
    out["age_years"] = age.astype("Int64")
    out["age_band"] = band(age, AGE_EDGES)
    for column in ("gender", "education", "occupation", "country", "region", "city"):
        out[column] = customers[column]
    out["income"] = customers["income"]
    out["income_band"] = band(customers["income"], INCOME_EDGES)
    out["tenure_days"] = (as_of - customers["signup_at"].dt.normalize()).dt.days.astype("Int64")

    # orders up to the as-of date
    orders = orders[orders["ordered_at"].dt.normalize() <= as_of].copy()
    orders["order_date"] = orders["ordered_at"].dt.normalize()
    orders["has_discount"] = (orders["discount_total"] > 0).astype(float)
    orders["is_returned"] = orders["status"].str.lower().isin(RETURNED).astype(float)
    orders["is_weekend"] = (orders["ordered_at"].dt.day_of_week >= 5).astype(float)
    hour = orders["ordered_at"].dt.hour
    orders["daypart"] = first_match(
        [hour < 6, hour < 12, hour < 18], ["night", "morning", "afternoon"], "evening"
    )
    orders["discount_filled"] = orders["discount_total"].fillna(0.0)
    stats = (
        orders.groupby("customer")
        .agg(
            order_count=("order_id", "size"),
            first_order_date=("order_date", "min"),
            last_order_date=("order_date", "max"),
            monetary_total=("order_total", "sum"),
            average_order_value=("order_total", "mean"),
            discount_order_share=("has_discount", "mean"),
            return_cancel_rate=("is_returned", "mean"),
            weekend_order_share=("is_weekend", "mean"),
            distinct_order_channels=("channel", "nunique"),
            discount_sum=("discount_filled", "sum"),
        )
        .reindex(range(n))
    )
    out["order_count"] = stats["order_count"].fillna(0).astype("int64")
    out["first_order_date"], out["last_order_date"] = (
        stats["first_order_date"],
        stats["last_order_date"],
    )

    # RFM: quintiles over buying customers, the seed's named segment
    recency = (as_of - stats["last_order_date"]).dt.days
    out["recency_days"] = recency.astype("Int64")
    out["monetary_total"] = stats["monetary_total"]
    out["monetary_average"] = stats["average_order_value"]
    buyers = stats["order_count"].notna().to_numpy()
    ids = customers["customer_id"][buyers]
    for name, values, ascending in (("r_score", recency, False),
                                    ("f_score", stats["order_count"], True),
                                    ("m_score", stats["monetary_total"], True)):  # fmt: skip
        score = pd.Series(pd.NA, index=out.index, dtype="Int64")
        score[buyers] = ntile5(values[buyers], ids, ascending)
        out[name] = score
    out["rfm_cell"] = (out["r_score"].astype("str") + out["f_score"].astype("str")
                       + out["m_score"].astype("str")).where(buyers)  # fmt: skip
    segment_map = pd.read_csv(Path(__file__).resolve().parents[2] / "seeds" / "rfm_segment_map.csv",
                              dtype={"rfm_cell": str})  # fmt: skip
    out["rfm_segment"] = out["rfm_cell"].map(segment_map.set_index("rfm_cell")["rfm_segment"])

    # behaviour: orders
    days = (as_of - stats["first_order_date"]).dt.days.clip(lower=1)
    out["orders_per_30_days"] = 30 * stats["order_count"] / days
    out["average_order_value"] = stats["average_order_value"]
    orders = orders.sort_values(["customer", "ordered_at", "order_id"])
    gap = (
        orders["order_date"].diff().dt.days.where(orders["customer"].eq(orders["customer"].shift()))
    )
    gaps = gap.groupby(orders["customer"]).agg(["mean", "std"]).reindex(range(n))
    out["mean_days_between_orders"] = gaps["mean"]
    out["stddev_days_between_orders"] = gaps["std"]
    out["discount_order_share"] = stats["discount_order_share"]
    out["return_cancel_rate"] = stats["return_cancel_rate"]

    # behaviour: order lines
    items = inputs["order_items"]
    in_window = (inputs["orders"]["ordered_at"].dt.normalize() <= as_of).to_numpy()
    items = items[in_window[items["order"].to_numpy()]]
    items = items.assign(customer=inputs["orders"]["customer"].to_numpy()[items["order"]])
    items["line_value"] = (items["quantity"] * items["unit_price"]).round(6)
    baskets = items.groupby(["customer", "order"])["quantity"].sum().groupby("customer").mean()
    out["distinct_categories"] = items.groupby("customer")["category"].nunique().reindex(range(n))
    favourite = most_frequent(items["customer"], items["category"], n, items["line_value"])
    out["favourite_category"] = favourite["value"]
    out["favourite_category_spend_share"] = favourite["share"]
    channel = most_frequent(orders["customer"], orders["channel"], n)
    out["primary_order_channel"], out["primary_order_channel_share"] = (
        channel["value"],
        channel["share"],
    )
    out["distinct_order_channels"] = stats["distinct_order_channels"]
    out["average_basket_size"] = baskets.reindex(range(n))
    out["weekend_order_share"] = stats["weekend_order_share"]
    daypart = most_frequent(orders["customer"], orders["daypart"], n)
    out["preferred_order_daypart"] = daypart["value"]
    out["preferred_order_daypart_share"] = daypart["share"]

    # behaviour: browsing sessions (events up to the as-of date)
    events = inputs["events"]
    events = events[events["occurred_at"].dt.normalize() <= as_of]
    session = events["session_id"].fillna(
        events["customer_id"] + ":" + events["occurred_at"].dt.strftime("%Y-%m-%d")
    )
    events = events.assign(
        session=session,
        has_purchase=(events["event_type"] == "purchase").astype("int8"),
        has_cart=(events["event_type"] == "add_to_cart").astype("int8"),
        is_mobile=events["device_type"].isin(MOBILE).astype("int8"),
    )
    sessions = events.groupby(["customer", "session"], sort=False)[
        ["has_purchase", "has_cart", "is_mobile"]].max().reset_index()  # fmt: skip
    sessions["abandoned"] = (sessions["has_cart"] == 1) & (sessions["has_purchase"] == 0)
    per = sessions.groupby("customer").agg(
        session_count=("session", "size"), browse_to_buy_conversion=("has_purchase", "mean"),
        abandoned=("abandoned", "sum"), carts=("has_cart", "sum"),
        mobile_session_share=("is_mobile", "mean"),
    ).reindex(range(n))  # fmt: skip
    out["session_count"] = per["session_count"].fillna(0).astype("int64")
    out["event_count"] = (
        events.groupby("customer").size().reindex(range(n)).fillna(0).astype("int64")
    )
    out["sessions_per_order"] = per["session_count"] / stats["order_count"]
    out["browse_to_buy_conversion"] = per["browse_to_buy_conversion"]
    out["cart_abandonment_rate"] = per["abandoned"] / per["carts"].replace(0, np.nan)

    # behaviour: campaign response
    touches = inputs["marketing_touches"]
    touches = touches[touches["sent_at"].dt.normalize() <= as_of]
    response = touches[["opened_at", "clicked_at", "converted_at"]].notna().astype(float)
    response["customer"] = touches["customer"]
    rates = response.groupby("customer").agg(
        touches_received=("opened_at", "size"), open_rate=("opened_at", "mean"),
        click_rate=("clicked_at", "mean"), campaign_conversion_rate=("converted_at", "mean"),
    ).reindex(range(n))  # fmt: skip
    out["touches_received"] = rates["touches_received"].fillna(0).astype("int64")
    for column in ("open_rate", "click_rate", "campaign_conversion_rate"):
        out[column] = rates[column]

    # technographics
    for column in ("device_type", "os", "browser", "platform"):
        out[f"primary_{column}"] = most_frequent(events["customer"], events[column], n)["value"]
    app = events["platform"].isin(APP_PLATFORMS).groupby(events["customer"]).max()
    out["has_adopted_app"] = app.reindex(range(n)).astype("boolean")
    out["mobile_session_share"] = per["mobile_session_share"]
    device = events["device_type"].fillna("?") + "/" + events["os"].fillna("?")
    out["distinct_devices"] = device.groupby(events["customer"]).nunique().reindex(range(n))

    # psychographics
    median_price = items.groupby("category")["unit_price"].median()
    index = items["unit_price"] / items["category"].map(median_price).replace(0, np.nan)
    quantity = items["quantity"]
    tiers = pd.DataFrame({
        "customer": items["customer"], "quantity": quantity,
        "premium": quantity.where(index >= PREMIUM_RATIO, 0.0),
        "value": quantity.where(index <= VALUE_RATIO, 0.0), "weighted": index * quantity,
    }).groupby("customer").sum().reindex(range(n))  # fmt: skip
    total_quantity = tiers["quantity"].replace(0, np.nan)
    out["premium_item_share"] = tiers["premium"] / total_quantity
    out["value_item_share"] = tiers["value"] / total_quantity
    out["average_price_index"] = tiers["weighted"] / total_quantity
    out["price_tier_preference"] = first_match(
        [out["premium_item_share"] >= 0.5, out["value_item_share"] >= 0.5,
         out["premium_item_share"].notna()], ["premium", "value", "mixed"], None)  # fmt: skip
    spend = stats["monetary_total"] + stats["discount_sum"]
    out["discount_sensitivity"] = stats["discount_sum"] / spend.replace(0, np.nan)
    category_spend = (
        items.groupby(["customer", "category"])["line_value"].sum().unstack(fill_value=0.0)
    )
    affinity = category_spend.div(category_spend.sum(axis=1).replace(0, np.nan), axis=0)
    out["category_concentration"] = (affinity**2).sum(axis=1, min_count=1).reindex(range(n))

    # lifecycle
    dates = orders[["customer", "order_date"]].drop_duplicates()
    date_gap = (
        dates["order_date"].diff().dt.days.where(dates["customer"].eq(dates["customer"].shift()))
    )
    grouped = date_gap.groupby(dates["customer"])
    median_gap = grouped.median().reindex(range(n))
    last_gap = grouped.last().reindex(range(n))
    since_first = (as_of - stats["first_order_date"]).dt.days
    since_last = (as_of - stats["last_order_date"]).dt.days
    at_risk_after = (GAP_MULTIPLIER * median_gap).fillna(AT_RISK_DAYS)
    out["lifecycle_stage"] = first_match(
        [stats["last_order_date"].isna(), since_first <= NEW_DAYS, since_last >= LAPSED_DAYS,
         since_last > at_risk_after, last_gap >= LAPSED_DAYS],
        ["prospect", "new", "lapsed", "at_risk", "reactivated"], "active")  # fmt: skip
    out["days_since_first_order"] = since_first.astype("Int64")
    out["days_since_last_order"] = since_last.astype("Int64")
    out["median_gap_days"] = median_gap
    out["at_risk_after_days"] = at_risk_after
    out["as_of_date"] = as_of

    # the pivots (the package keeps them in int_segmentation__psychographics)
    affinity.columns = [f"affinity_{c}" for c in affinity.columns]
    out = out.join(affinity.fillna(0.0).reindex(range(n)))
    declared = inputs["customer_attributes"].pivot(
        index="customer", columns="attribute", values="value"
    )
    declared.columns = [f"declared_{c}" for c in declared.columns]
    return out.join(declared.reindex(range(n)))


def assign(frame: pd.DataFrame, fitted: pd.DataFrame) -> pd.Series:
    """Nearest centroid (ties to the smaller segment_id) for every eligible customer."""
    spec, centroids, segment_ids = fitted_spec(fitted)
    eligible = frame["order_count"].to_numpy() >= 1
    matrix = cluster_model().transform(frame[eligible], spec)
    distances = np.column_stack([((matrix - centroid) ** 2).sum(axis=1) for centroid in centroids])
    segments = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    segments[eligible] = segment_ids[distances.argmin(axis=1)]
    return segments


def run(data_dir: Path, out: Path | None = None) -> dict:
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    inputs, rejected = validate(Path(data_dir), now)
    frame = features(inputs)
    fitted = fit(frame[frame["order_count"] >= 1])
    frame["segment_id"] = assign(frame, fitted)
    if out is not None:
        frame.to_parquet(out)
    return summary(frame, frame["segment_id"].dropna(), len(inputs["orders"]), fitted,
                   rejected_rows=sum(rejected.values()), rejected=rejected)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="write the features here")
    args = parser.parse_args()
    print(json.dumps(run(args.data, args.out)))


if __name__ == "__main__":
    main()
