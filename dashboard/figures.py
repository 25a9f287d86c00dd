"""What the pages show, computed from the marts in plain pandas (no Streamlit, no engine).

Each function takes mart frames (as dashboard/marts.py returns them) and gives the frame a
page draws; tests/python/test_dashboard_figures.py checks them on hand-made frames, and the
browser test checks the pages against the marts.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

# --- numbers for people -------------------------------------------------------------------

NA = "\u2013"  # an en dash for a missing value


def fmt_int(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NA
    return f"{round(value):,}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return NA
    return f"{value * 100:.{digits}f}%"


def fmt_pp(value: float | None) -> str:
    """A difference of two shares in percentage points, signed: +15.8 pp."""
    if value is None or pd.isna(value):
        return NA
    return f"{value * 100:+.1f} pp"


def fmt_num(value: float | None, digits: int = 2) -> str:
    """A number with a fixed count of decimals and thousands separators: 1,234.57."""
    if value is None or pd.isna(value):
        return NA
    return f"{value:,.{digits}f}"


def fmt_sig(value: float | None, digits: int = 4) -> str:
    """A model parameter to `digits` significant digits: 0.2426, 4.414, 1,545."""
    if value is None or pd.isna(value):
        return NA
    if 10**digits <= abs(value) < 1e12:
        return f"{value:,.0f}"
    if value != 0 and not 1e-4 <= abs(value) < 10**digits:
        return f"{value:.{digits - 1}e}"
    return f"{value:,.{digits}g}"


def fmt_time(value: pd.Timestamp | None) -> str:
    if value is None or pd.isna(value):
        return NA
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


# --- overview -----------------------------------------------------------------------------


def overview(segments: pd.DataFrame, gates: pd.DataFrame, rejected: pd.DataFrame) -> dict:
    """Headline figures: customers, clustered share, segment count, last build, gates, rejects."""
    customers = len(segments)
    clustered = int(segments["segment_id"].notna().sum())
    return {
        "customers": customers,
        "clustered": clustered,
        "clustered_share": clustered / customers if customers else float("nan"),
        "segments": int(segments["segment_id"].nunique()),
        "last_build": segments["segmented_at"].max() if customers else None,
        "gates_passed": int(gates["is_passed"].sum()),
        "gates": len(gates),
        "rejected_rows": len(rejected),
    }


def segment_sizes(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: id, name, customers, share, ordered by id."""
    return (
        profiles[["segment_id", "segment_name", "customer_count", "customer_share"]]
        .sort_values("segment_id")
        .reset_index(drop=True)
    )


# --- personas -----------------------------------------------------------------------------


def z_scores(profiles: pd.DataFrame) -> pd.DataFrame:
    """Long form: segment, feature, z (the profile's <feature>_z columns)."""
    columns = [c for c in profiles.columns if c.endswith("_z")]
    long = profiles.melt(
        id_vars=["segment_id", "segment_name"], value_vars=columns, var_name="feature",
        value_name="z",
    )  # fmt: skip
    long["feature"] = long["feature"].str.removesuffix("_z")
    return long


def compare_segments(profiles: pd.DataFrame, first: int, second: int) -> pd.DataFrame:
    """Per feature: each segment's mean and z, and the gap in z (largest first)."""
    z = z_scores(profiles)
    wide = z.pivot(index="feature", columns="segment_id", values="z")
    rows = profiles.set_index("segment_id")
    out = pd.DataFrame(
        {
            "feature": wide.index,
            "mean_a": [rows.loc[first].get(f"{f}_mean", np.nan) for f in wide.index],
            "z_a": wide[first].to_numpy(),
            "mean_b": [rows.loc[second].get(f"{f}_mean", np.nan) for f in wide.index],
            "z_b": wide[second].to_numpy(),
        }
    )
    out["z_gap"] = out["z_a"] - out["z_b"]
    return out.reindex(out["z_gap"].abs().sort_values(ascending=False).index).reset_index(drop=True)


# --- RFM ----------------------------------------------------------------------------------


def rfm_grid(features: pd.DataFrame) -> pd.DataFrame:
    """Recency score x frequency score: customers and mean monetary value (buyers only)."""
    buyers = features.dropna(subset=["r_score", "f_score"])
    grid = (
        buyers.groupby(["r_score", "f_score"])
        .agg(customers=("customer_id", "size"), monetary_average=("monetary_total", "mean"))
        .reset_index()
    )
    grid[["r_score", "f_score"]] = grid[["r_score", "f_score"]].astype(int)
    return grid


def label_sizes(segments: pd.DataFrame, column: str) -> pd.DataFrame:
    """Customers per value of one label column, largest first (null as '(none)')."""
    counts = segments[column].fillna("(none)").astype(str).value_counts()
    return counts.rename_axis(column).reset_index(name="customers")


# --- lifecycle and movement ---------------------------------------------------------------


def sizes_across_builds(history: pd.DataFrame, label_kind: str) -> pd.DataFrame:
    """Members per label at each build that changed labels (label_kind's rows of the history)."""
    rows = history[history["label_kind"] == label_kind]
    builds = sorted(
        set(rows["valid_from"].dropna()) | set(rows["valid_to"].dropna()), key=pd.Timestamp
    )
    out = []
    for built_at in builds:
        held = rows[
            (rows["valid_from"] <= built_at)
            & (rows["valid_to"].isna() | (rows["valid_to"] > built_at))
        ]
        names = held["label_name"].fillna(held["label"])
        for label, count in names.value_counts().items():
            out.append({"built_at": built_at, "label": label, "customers": int(count)})
    return pd.DataFrame(out, columns=["built_at", "label", "customers"])


def flows(transitions: pd.DataFrame, run_at: pd.Timestamp, label_kind: str) -> pd.DataFrame:
    """From -> to customer counts of one build and label kind; entries and exits named."""
    rows = transitions[
        (transitions["run_at"] == run_at) & (transitions["label_kind"] == label_kind)
    ]
    source = rows["from_label_name"].fillna(rows["from_label"]).fillna("(not labelled)")
    target = rows["to_label_name"].fillna(rows["to_label"]).fillna("(left)")
    return (
        pd.DataFrame(
            {
                "from": source.to_numpy(),
                "to": target.to_numpy(),
                "transition_type": rows["transition_type"].to_numpy(),
                "customers": rows["customer_count"].astype(int).to_numpy(),
            }
        )
        .sort_values("customers", ascending=False)
        .reset_index(drop=True)
    )


def sankey_layout(flow: pd.DataFrame, steps: int = 21) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A two-column Sankey: nodes (side 0 = from, 1 = to; label, y0, y1) and ribbons.

    Ribbons are bands between `upper` and `lower`, sampled at `steps` x positions from 0
    to 1 along a smooth step, one band per flow, stacked in each node by size.
    """
    gap = max(flow["customers"].sum() * 0.02, 1)
    node_rows = []
    for side, column in ((0, "from"), (1, "to")):
        totals = flow.groupby(column)["customers"].sum().sort_values(ascending=False)
        top = 0.0
        for label, total in totals.items():
            node_rows.append({"side": side, "label": label, "y0": top, "y1": top + total})
            top += total + gap
    nodes = pd.DataFrame(node_rows)
    cursor = {(r.side, r.label): r.y0 for r in nodes.itertuples()}
    # Stack each node's ribbons in the order of the nodes at their other end: no crossing
    # inside a node.
    flow = flow.assign(
        _from=[cursor[(0, v)] for v in flow["from"]], _to=[cursor[(1, v)] for v in flow["to"]]
    ).sort_values(["_from", "_to"])
    x = np.linspace(0, 1, steps)
    ease = x * x * (3 - 2 * x)
    ribbons = []
    for index, (source, target, customers) in enumerate(
        zip(flow["from"], flow["to"], flow["customers"], strict=True)
    ):
        start, end = cursor[(0, source)], cursor[(1, target)]
        cursor[(0, source)] += customers
        cursor[(1, target)] += customers
        upper = start + (end - start) * ease
        ribbons.append(
            pd.DataFrame(
                {"flow": index, "x": x, "upper": upper, "lower": upper + customers,
                 "from": source, "to": target, "customers": customers}
            )
        )  # fmt: skip
    return nodes, pd.concat(ribbons, ignore_index=True)


# --- audiences ----------------------------------------------------------------------------


def overlaps(memberships: pd.DataFrame, audience_ids: list[str]) -> pd.DataFrame:
    """Customers in both audiences, for every pair of the given audiences (long form)."""
    chosen = memberships[memberships["audience_id"].isin(audience_ids)]
    matrix = pd.crosstab(chosen["customer_id"], chosen["audience_id"]).clip(upper=1)
    matrix = matrix.reindex(columns=audience_ids, fill_value=0)
    both = matrix.T.to_numpy() @ matrix.to_numpy()
    sizes = np.diag(both)
    out = []
    for i, a in enumerate(audience_ids):
        for j, b in enumerate(audience_ids):
            out.append(
                {"audience_a": a, "audience_b": b, "customers": int(both[i, j]),
                 "share_of_a": both[i, j] / sizes[i] if sizes[i] else np.nan}
            )  # fmt: skip
    return pd.DataFrame(out)


# --- campaigns ----------------------------------------------------------------------------


def lift_with_intervals(effectiveness: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The mart's lift with a two-proportion confidence interval for it (statsmodels).

    The interval is for treated order rate - holdout order rate, Newcomb's hybrid score
    interval (statsmodels' confint_proportions_2indep, method 'newcomb'), which stays
    inside [-1, 1] and behaves with small groups and rates of 0 or 1. No interval
    without a holdout.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    frame = effectiveness.copy()
    low = np.full(len(frame), np.nan)
    high = np.full(len(frame), np.nan)
    usable = (frame["holdout_customers"].fillna(0) > 0) & (frame["treated_customers"] > 0)
    for position in np.nonzero(usable.to_numpy())[0]:
        row = frame.iloc[position]
        low[position], high[position] = confint_proportions_2indep(
            int(row["treated_ordered_customers"]), int(row["treated_customers"]),
            int(row["holdout_ordered_customers"]), int(row["holdout_customers"]),
            method="newcomb", compare="diff", alpha=alpha,
        )  # fmt: skip
    frame["lift_low"] = low
    frame["lift_high"] = high
    frame["is_significant"] = (frame["lift_low"] > 0) | (frame["lift_high"] < 0)
    return frame


# --- data quality -------------------------------------------------------------------------


INPUTS = (
    "customers", "orders", "order_items", "events", "marketing_touches", "customer_attributes",
)  # fmt: skip


def rejected_by_reason(rejected: pd.DataFrame) -> pd.DataFrame:
    return (
        rejected.groupby(["input_name", "reason_code"])
        .size()
        .rename("rows")
        .reset_index()
        .sort_values(["input_name", "rows"], ascending=[True, False])
        .reset_index(drop=True)
    )


def reconciliation(rejected: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Per input: rejected rows, and the accepted rows the public marts show.

    The marts hold every accepted customer (one row each in customer_features) and the
    accepted orders up to the as-of date (the sum of order_count); other inputs' accepted
    rows are not in a public mart (dbt's row_reconciliation test proves input = accepted +
    rejected for every input on each build).
    """
    counts = rejected["input_name"].value_counts()
    accepted = {
        "customers": len(features),
        "orders": int(features["order_count"].fillna(0).sum()),
    }
    rows = []
    for name in INPUTS:
        rows.append(
            {"input": name, "rejected_rows": int(counts.get(name, 0)),
             "accepted_rows": accepted.get(name),
             "accepted_as": {"customers": "customers in customer_features",
                             "orders": "orders up to the as-of date (sum of order_count)"}
             .get(name, "not in a public mart")}
        )  # fmt: skip
    return pd.DataFrame(rows)


# --- fit diagnostics ----------------------------------------------------------------------


def k_scores(runs: pd.DataFrame) -> pd.DataFrame:
    """The latest run's criterion by k (k_scores JSON), with the chosen k marked."""
    if runs.empty:
        return pd.DataFrame(columns=["k", "score", "is_chosen"])
    latest = runs.sort_values("fitted_at").iloc[-1]
    scores = json.loads(latest["k_scores"]) if latest["k_scores"] else {}
    out = pd.DataFrame({"k": [int(k) for k in scores], "score": list(scores.values())})
    out["is_chosen"] = out["k"] == int(latest["k"])
    return out.sort_values("k").reset_index(drop=True)


# --- predicted value ----------------------------------------------------------------------


VALUE_TIERS = ("top", "middle", "bottom")
NO_PREDICTION = "(no prediction)"
# The two built-in value audiences: the flag in segmentation__customer_value, and the audience
# id and name in segmentation__audiences (label kind predicted_value).
VALUE_AUDIENCES = (
    ("is_high_value_at_risk", "predicted_value:high_value_at_risk", "High value at risk"),
    ("is_likely_to_buy_soon", "predicted_value:likely_to_buy_soon", "Likely to buy soon"),
)
VALUE_FIT_SCOPES = ("full", "calibration")


def value_tiers(customer_value: pd.DataFrame) -> pd.DataFrame:
    """One row per tier (top, middle, bottom; customers without a prediction last when there
    are any): customers, their share, predicted value in all and on average, mean probability
    alive and expected purchases."""
    tier = customer_value["predicted_value_tier"].fillna(NO_PREDICTION)
    grouped = customer_value.assign(tier=tier).groupby("tier", sort=False)
    out = grouped.agg(
        customers=("customer_id", "size"),
        predicted_value=("predicted_value", lambda v: v.sum(min_count=1)),
        mean_predicted_value=("predicted_value", "mean"),
        mean_probability_alive=("probability_alive", "mean"),
        mean_expected_purchases=("expected_purchases", "mean"),
    )
    out = out.reindex([*VALUE_TIERS, NO_PREDICTION])
    out["customers"] = out["customers"].fillna(0).astype(int)
    out = out[(out.index != NO_PREDICTION) | (out["customers"] > 0)]
    total = int(out["customers"].sum())
    out["customer_share"] = out["customers"] / total if total else np.nan
    return out.rename_axis("tier").reset_index()


def probability_alive_bins(customer_value: pd.DataFrame, bins: int = 20) -> pd.DataFrame:
    """Customers by probability alive in `bins` equal bins of [0, 1] (the last holds 1):
    bin_start, bin_end, customers. Customers without a probability are left out."""
    values = customer_value["probability_alive"].dropna().clip(0, 1).to_numpy(dtype=float)
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "customers": counts})


def value_audience_sizes(customer_value: pd.DataFrame, audiences: pd.DataFrame) -> pd.DataFrame:
    """The two value audiences: customers flagged in customer_value, and the audience's
    members and holdout in segmentation__audiences (0 when no customer was ever in it, as
    the catalog holds an audience only once someone has been)."""
    catalog = audiences.set_index("audience_id")
    rows = []
    for flag, audience_id, name in VALUE_AUDIENCES:
        listed = audience_id in catalog.index
        rows.append(
            {"audience_id": audience_id, "audience_name": name,
             "flagged_customers": int(customer_value[flag].fillna(False).astype(bool).sum()),
             "member_count": int(catalog.loc[audience_id, "member_count"]) if listed else 0,
             "holdout_count": int(catalog.loc[audience_id, "holdout_count"]) if listed else 0}
        )  # fmt: skip
    return pd.DataFrame(rows)


def value_fits(model: pd.DataFrame) -> pd.DataFrame:
    """The value model's fits, the full fit (the predictions) first, then the calibration
    fit (the backtest); parameters stay null where a fit failed."""
    order = {scope: i for i, scope in enumerate(VALUE_FIT_SCOPES)}
    return (
        model.assign(_order=model["fit_scope"].map(order))
        .sort_values("_order")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def backtest_long(backtest: pd.DataFrame) -> pd.DataFrame:
    """The backtest by calibration purchases in long form for a chart: label, series
    (actual, predicted), mean holdout purchases."""
    frame = backtest.sort_values("calibration_purchases")
    long = frame.melt(
        id_vars=["calibration_purchases", "calibration_purchases_label", "customer_count"],
        value_vars=["actual_mean_holdout_purchases", "predicted_mean_holdout_purchases"],
        var_name="series", value_name="mean_holdout_purchases",
    )  # fmt: skip
    long["series"] = long["series"].map(
        {"actual_mean_holdout_purchases": "actual", "predicted_mean_holdout_purchases": "predicted"}
    )
    return long.dropna(subset=["mean_holdout_purchases"]).reset_index(drop=True)


# --- customer lookup ----------------------------------------------------------------------


def customer_history(history: pd.DataFrame, customer_id: str) -> pd.DataFrame:
    rows = history[history["customer_id"] == customer_id]
    return rows.sort_values(["label_kind", "valid_from"])[
        ["label_kind", "label", "label_name", "valid_from", "valid_to", "is_current"]
    ].reset_index(drop=True)
