"""The dashboard's figures (dashboard/figures.py) on hand-made marts, and its reach: it reads
public marts only, through one module, and the exposures name its pages and marts. The
pages themselves are driven in a browser by tests/dashboard (make dashboard-test)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys

import pandas as pd
import pytest
import yaml
from conftest import ROOT

DASHBOARD = ROOT / "dashboard"


def _load(name: str):
    if str(DASHBOARD) not in sys.path:
        sys.path.insert(0, str(DASHBOARD))
    spec = importlib.util.spec_from_file_location(f"dashboard_{name}", DASHBOARD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _load("figures")
marts = _load("marts")


def test_numbers_are_formatted_for_people() -> None:
    assert figures.fmt_int(1052) == "1,052"
    assert figures.fmt_pct(0.22115) == "22.1%"
    assert figures.fmt_pp(0.157673) == "+15.8 pp"
    assert figures.fmt_pp(-0.0625) == "-6.2 pp"
    assert figures.fmt_pct(float("nan")) == figures.NA


def test_lift_interval_is_statsmodels_newcomb_and_brackets_the_lift() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    frame = pd.DataFrame(
        {
            "treated_customers": [900, 50, 40],
            "treated_ordered_customers": [380, 0, 10],
            "holdout_customers": [100, 10, 0],
            "holdout_ordered_customers": [27, 0, 0],
            "order_rate_lift": [380 / 900 - 0.27, 0.0, None],
        }
    )
    out = figures.lift_with_intervals(frame)
    low, high = confint_proportions_2indep(380, 900, 27, 100, method="newcomb", compare="diff")
    assert out.loc[0, ["lift_low", "lift_high"]].tolist() == pytest.approx([low, high])
    assert out.loc[0, "lift_low"] < out.loc[0, "order_rate_lift"] < out.loc[0, "lift_high"]
    assert bool(out.loc[0, "is_significant"])
    # Both rates 0: an interval around 0, not significant; no holdout: no interval.
    assert out.loc[1, "lift_low"] < 0 < out.loc[1, "lift_high"]
    assert not bool(out.loc[1, "is_significant"])
    assert pd.isna(out.loc[2, "lift_low"])


def test_overlaps_count_customers_in_both_audiences() -> None:
    memberships = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "a", "c", "d"],
            "audience_id": ["x", "x", "x", "y", "y", "z"],
        }
    )
    pairs = figures.overlaps(memberships, ["x", "y", "z"]).set_index(["audience_a", "audience_b"])
    assert pairs.loc[("x", "y"), "customers"] == 2
    assert pairs.loc[("y", "x"), "share_of_a"] == 1.0
    assert pairs.loc[("x", "x"), "customers"] == 3
    assert pairs.loc[("x", "z"), "customers"] == 0


def test_sizes_across_builds_follow_the_history() -> None:
    t1, t2 = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-02")
    history = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "label_kind": ["lifecycle_stage"] * 3,
            "label": ["new", "active", "new"],
            "label_name": ["new", "active", "new"],
            "valid_from": [t1, t2, t1],
            "valid_to": [t2, None, None],
        }
    )
    sizes = figures.sizes_across_builds(history, "lifecycle_stage")
    by = sizes.set_index(["built_at", "label"])["customers"]
    assert by[(t1, "new")] == 2
    assert by[(t2, "new")] == 1
    assert by[(t2, "active")] == 1


def test_sankey_ribbons_fill_their_nodes() -> None:
    flow = pd.DataFrame(
        {
            "from": ["A", "A", "B"],
            "to": ["A", "B", "B"],
            "transition_type": ["stayed", "moved", "stayed"],
            "customers": [5, 2, 3],
        }
    )
    nodes, ribbons = figures.sankey_layout(flow)
    sizes = nodes.assign(size=nodes["y1"] - nodes["y0"]).set_index(["side", "label"])["size"]
    assert sizes[(0, "A")] == 7 and sizes[(1, "B")] == 5
    widths = ribbons.assign(width=ribbons["lower"] - ribbons["upper"])
    assert (widths.groupby("flow")["width"].nunique() == 1).all()
    assert ribbons["flow"].nunique() == 3


def public_marts() -> set[str]:
    """Relations of the models that models/marts declares, versions by relation."""
    names = set()
    for path in (ROOT / "models" / "marts").rglob("*.sql"):
        names.add(path.stem)
    return names


def test_the_dashboard_reads_only_public_marts_through_one_module() -> None:
    assert set(marts.MARTS) <= public_marts()
    for path in DASHBOARD.glob("*.py"):
        text = path.read_text()
        tree = ast.parse(text)
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        strings = [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
        if path.name != "marts.py":
            assert not imported & {"duckdb", "snowflake"}, path.name
            assert not [t for t in strings if re.search(r"\bselect\b.+\bfrom\b", t, re.I)], (
                path.name
            )
        for name in re.findall(r'"(segmentation__\w+)"', text):
            assert name in marts.MARTS, (path.name, name)
    with pytest.raises(ValueError):
        marts.read_mart("stg_segmentation__customers")


def test_the_exposures_name_the_dashboards_pages_and_marts() -> None:
    app = (DASHBOARD / "streamlit_app.py").read_text()
    paths = {""} | set(re.findall(r'url_path="([^"]+)"', app))
    exposures = yaml.safe_load(
        (ROOT / "models" / "marts" / "_segmentation__exposures.yml").read_text()
    )
    dashboards = [e for e in exposures["exposures"] if e["type"] == "dashboard"]
    assert dashboards
    read = set()
    for exposure in dashboards:
        match = re.fullmatch(r"http://localhost:8501/([\w-]*)", exposure["url"])
        assert match and match.group(1) in paths, exposure["url"]
        for ref in exposure["depends_on"]:
            name = ast.literal_eval(ref.removeprefix("ref(").split(",")[0].rstrip(")"))
            read.add("segmentation__customer_segments_v1" if "v=1" in ref else name)
        for path in re.findall(r"(?<![\w.])/([a-z-]+) \(", exposure["description"]):
            assert path in paths, path
    assert read == set(marts.MARTS)


# --- the value page -------------------------------------------------------------------------


def value_marts(fitted: bool) -> dict[str, pd.DataFrame]:
    """Hand-made value marts: a fitted model, or a degenerate fit (null parameters and
    predictions, the reason in the status), as segmentation__value_fit leaves them."""
    nan = float("nan")
    status = "fitted" if fitted else "too few customers (3 < 10)"
    model = pd.DataFrame(
        {
            "fit_id": ["f1", "f2"], "fit_scope": ["calibration", "full"],
            "bgnbd_status": [status] * 2, "gamma_gamma_status": [status] * 2,
            "r": [0.24259, 0.25] if fitted else [nan, nan],
            "alpha": [4.4136, 4.5] if fitted else [nan, nan],
            "a": [0.7929, 0.8] if fitted else [nan, nan],
            "b": [2.4259, 2.5] if fitted else [nan, nan],
            "p": [6.2496, 6.0] if fitted else [nan, nan],
            "q": [3.7442, 4.0] if fitted else [nan, nan],
            "gamma": [15.4435, 1545.3] if fitted else [nan, nan],
            "sample_size": [3, 3], "period_days": [7, 7], "holdout_customers": [3, None],
            "actual_holdout_purchases": [4.0, nan],
            "predicted_holdout_purchases": [3.5 if fitted else nan, nan],
            "mean_absolute_error": [0.5 if fitted else nan, nan],
            "fitted_through_date": pd.to_datetime(["2026-01-01", "2026-06-30"]),
            "calibration_end_date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
            "as_of_date": pd.to_datetime(["2026-06-30", "2026-06-30"]),
            "fitted_at": pd.to_datetime(["2026-07-01 10:00", "2026-07-01 10:00"]),
        }
    )  # fmt: skip
    customer_value = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "predicted_value_tier": ["top", "middle", "bottom"] if fitted else [None] * 3,
            "probability_alive": [0.9, 0.4, 1.0] if fitted else [nan] * 3,
            "expected_purchases": [1.2, 0.3, 0.1] if fitted else [nan] * 3,
            "predicted_value": [1200.0, 300.0, 10.0] if fitted else [nan] * 3,
            "is_high_value_at_risk": [False, True, False],
            "is_likely_to_buy_soon": [True, False, False],
        }
    )
    customer_value["is_high_value_at_risk"] &= fitted
    customer_value["is_likely_to_buy_soon"] &= fitted
    backtest = pd.DataFrame(
        {
            "calibration_purchases": [0, 1], "calibration_purchases_label": ["0", "1"],
            "customer_count": [2, 1], "actual_mean_holdout_purchases": [1.0, 2.0],
            "predicted_mean_holdout_purchases": [1.1, 1.3] if fitted else [nan, nan],
            "actual_holdout_purchases": [2.0, 2.0],
            "predicted_holdout_purchases": [2.2, 1.3] if fitted else [nan, nan],
        }
    )  # fmt: skip
    audiences = pd.DataFrame(
        {"audience_id": ["predicted_value:likely_to_buy_soon"] if fitted else [],
         "member_count": [1] if fitted else [], "holdout_count": [0] if fitted else []}
    )  # fmt: skip
    return {
        "segmentation__value_model": model,
        "segmentation__customer_value": customer_value,
        "segmentation__value_backtest": backtest,
        "segmentation__audiences": audiences,
    }


def test_value_figures() -> None:
    frames = value_marts(fitted=True)
    tiers = figures.value_tiers(frames["segmentation__customer_value"]).set_index("tier")
    assert list(tiers.index) == ["top", "middle", "bottom"]
    assert tiers.loc["top", "customers"] == 1 and tiers.loc["top", "predicted_value"] == 1200
    bins = figures.probability_alive_bins(frames["segmentation__customer_value"], bins=10)
    assert bins["customers"].sum() == 3 and bins["customers"].iloc[-1] == 2  # 0.9 and 1.0
    sizes = figures.value_audience_sizes(
        frames["segmentation__customer_value"], frames["segmentation__audiences"]
    ).set_index("audience_id")
    assert sizes.loc["predicted_value:likely_to_buy_soon", "member_count"] == 1
    assert sizes.loc["predicted_value:high_value_at_risk", "flagged_customers"] == 1
    assert sizes.loc["predicted_value:high_value_at_risk", "member_count"] == 0  # not listed
    assert list(figures.value_fits(frames["segmentation__value_model"])["fit_scope"]) == [
        "full", "calibration",
    ]  # fmt: skip
    assert [figures.fmt_sig(v) for v in (0.24259, 4.4136, 1545.3, None)] == [
        "0.2426", "4.414", "1,545", figures.NA,
    ]  # fmt: skip
    degenerate = figures.value_tiers(value_marts(fitted=False)["segmentation__customer_value"])
    assert degenerate.set_index("tier").loc[figures.NO_PREDICTION, "customers"] == 3


def _value_page(dashboard: str, frames: dict) -> None:
    import sys

    import streamlit as st

    sys.path.insert(0, dashboard)
    import marts
    import views

    st.cache_data.clear()
    marts.read_mart = frames.__getitem__
    views.value()


@pytest.mark.parametrize("fitted", [True, False], ids=["fitted", "degenerate"])
def test_value_page_runs_on_a_fitted_and_a_degenerate_model(fitted: bool) -> None:
    """The page in Streamlit's AppTest on hand-made marts: a failed fit shows its status and
    null parameters as dashes, never an exception."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(
        _value_page, kwargs={"dashboard": str(DASHBOARD), "frames": value_marts(fitted)},
        default_timeout=30,
    ).run()  # fmt: skip
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["BG/NBD"] == ("fitted" if fitted else "too few customers (3 < 10)")
    assert metrics["Fitted at"] == "2026-07-01 10:00"
    parameters = next(t for t in app.table if "alpha" in t.value.columns).value
    full = parameters.set_index("Fit").loc["full"]
    assert full["r"] == ("0.25" if fitted else figures.NA)
    assert full["gamma"] == ("1,545" if fitted else figures.NA)
    assert bool(app.warning) == (not fitted)
    tiers = next(t for t in app.table if "Tier" in t.value.columns).value.set_index("Tier")
    if fitted:
        assert tiers.loc["top", "Customers"] == "1"
    else:
        assert tiers.loc[figures.NO_PREDICTION, "Customers"] == "3"
