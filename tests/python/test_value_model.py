"""Predicted customer value (issue 18, docs/decisions/0022): BG/NBD and Gamma-Gamma.

- The published results: the package built on the CDNOW sample (tests/fixtures/cdnow) with a
  39-week calibration period in weeks finds Fader, Hardie & Lee's parameters, and its
  predicted holdout purchases equal lifetimes' own predictions for the same parameters.
- The model files' functions against lifetimes (fit, P(alive), expected purchases, CLV), their
  analytic gradients, determinism and degenerate data.
- The demo-like build (conftest's `built`): the summary equals segmentation__rfm_summary, the
  marts are filled, the value audiences flow into the labels, history and sync feed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import OPTIONAL_INPUTS_OFF, ROOT, copy_database, frame, load_module, run_dbt
from lifetimes import BetaGeoFitter, GammaGammaFitter

FIT = load_module(ROOT / "models" / "segments" / "segmentation__value_fit.py", "value_fit")
CURVES = load_module(ROOT / "models" / "segments" / "segmentation__value_curves.py", "value_curves")
CDNOW = ROOT / "tests" / "fixtures" / "cdnow" / "CDNOW_sample.txt"

# Fader, Hardie & Lee (2005): BG/NBD on the 2,357 CDNOW customers, 39-week calibration, weeks;
# Gamma-Gamma on the 946 repeat customers' mean spend ("RFM and CLV", 2005 note).
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
HOLDOUT_WEEKS = 39


def cdnow_transactions() -> pd.DataFrame:
    frame_ = pd.read_csv(
        CDNOW, sep=r"\s+", header=None, names=["master_id", "customer_id", "date", "cds", "amount"],
        dtype={"master_id": str, "customer_id": str, "date": str},
    )  # fmt: skip
    frame_["ordered_at"] = pd.to_datetime(frame_["date"], format="%Y%m%d")
    frame_["order_id"] = [f"o{i}" for i in range(len(frame_))]
    return frame_


def lifetimes_bgnbd(params) -> BetaGeoFitter:
    """lifetimes' fitter with the given parameters, to ask it for its predictions."""
    fitter = BetaGeoFitter()
    fitter.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], params, strict=True)))
    fitter.predict = fitter.conditional_expected_number_of_purchases_up_to_time  # as fit() sets it
    return fitter


# --- the package on CDNOW --------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The value marts built on CDNOW: as of 1998-06-30, 273-day (39-week) holdout, weeks."""
    database = tmp_path_factory.mktemp("cdnow") / "cdnow.duckdb"
    transactions = cdnow_transactions()
    customers = pd.DataFrame({"customer_id": sorted(transactions["customer_id"].unique())})
    orders = transactions[["order_id", "customer_id", "ordered_at", "amount"]].rename(
        columns={"amount": "order_total"}
    )
    with duckdb.connect(str(database)) as con:
        con.execute("create schema segmentation_raw")
        con.register("customers_frame", customers)
        con.register("orders_frame", orders)
        con.execute("create table segmentation_raw.customers as select * from customers_frame")
        con.execute("create table segmentation_raw.orders as select * from orders_frame")
    variables = {
        **OPTIONAL_INPUTS_OFF,
        "segmentation__as_of_date": "1998-06-30",
        "segmentation__value_holdout_days": HOLDOUT_WEEKS * 7,
        "segmentation__value_period": "week",
    }
    select = (
        "+segmentation__customer_value +segmentation__value_model +segmentation__value_backtest"
    )
    # cautious: only the tests whose models are all selected (not those that also read the features)
    args = ["build", "--select", select, "--indirect-selection", "cautious"]
    run = run_dbt(args, database, variables)
    assert run.success, run.messages()
    return database


def test_cdnow_summary_is_the_published_summary(cdnow_build) -> None:
    """The warehouse's calibration summary equals the one lifetimes ships for the paper
    (x, t_x, T in weeks and zbar, rounded there to two decimals)."""
    ours = frame(
        cdnow_build,
        "select cast(customer_id as integer) as id, frequency_cal as x, "
        "recency_cal_days / 7 as t_x, "
        "age_cal_days / 7 as t, monetary_value_cal as zbar, holdout_purchases "
        "from main_segmentation_intermediate.int_segmentation__value_summary order by 1",
    )
    from lifetimes.datasets import load_dataset

    published = load_dataset("cdnow_customers_summary_with_transactions.csv").sort_values("ID")
    assert len(ours) == len(published) == 2357
    assert ours["id"].tolist() == published["ID"].tolist()
    assert ours["x"].tolist() == published["x"].astype(float).tolist()
    np.testing.assert_allclose(ours["t_x"], published["t_x"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["t"], published["T"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(ours["zbar"], published["zbar"], atol=0.005 + 1e-9)


def test_cdnow_parameters_match_the_paper(cdnow_build) -> None:
    [row] = frame(
        cdnow_build,
        "select * from main_segmentation.segmentation__value_model where fit_scope = 'calibration'",
    ).to_dict("records")
    assert (row["bgnbd_status"], row["gamma_gamma_status"]) == ("fitted", "fitted")
    assert (row["bgnbd_customers"], row["gamma_gamma_customers"], row["period_days"]) == (
        2357, 946, 7
    )  # fmt: skip
    for name, published in PUBLISHED_BGNBD.items():
        assert row[name] == pytest.approx(published, rel=0.01), name
    for name, published in PUBLISHED_GAMMA_GAMMA.items():
        assert row[name] == pytest.approx(published, rel=0.02), name
    assert row["bgnbd_log_likelihood"] == pytest.approx(-9582.4, abs=0.1)  # the paper's LL


def test_cdnow_holdout_predictions_equal_lifetimes(cdnow_build) -> None:
    """Per customer, the warehouse's predicted holdout purchases (Python numerator x SQL
    P(alive)) equal lifetimes' conditional_expected_number_of_purchases_up_to_time for the
    same parameters and summary, to 1e-6; so do the backtest's totals."""
    [params] = frame(
        cdnow_build,
        "select r, alpha, a, b from main_segmentation.segmentation__value_model "
        "where fit_scope = 'calibration'",
    ).to_numpy()
    scores = frame(
        cdnow_build,
        "select scores.customer_id, scores.predicted_holdout_purchases, "
        "scores.probability_alive_cal, "
        "summary.frequency_cal as x, summary.recency_cal_days / 7 as t_x, "
        "summary.age_cal_days / 7 as t, summary.holdout_purchases "
        "from main_segmentation_intermediate.int_segmentation__value_holdout_scores as scores "
        "inner join main_segmentation_intermediate.int_segmentation__value_summary as summary "
        "on scores.customer_id = summary.customer_id order by 1",
    )
    fitter = lifetimes_bgnbd(params)
    theirs = fitter.conditional_expected_number_of_purchases_up_to_time(
        HOLDOUT_WEEKS, scores["x"], scores["t_x"], scores["t"]
    )
    np.testing.assert_allclose(scores["predicted_holdout_purchases"], theirs, rtol=0, atol=1e-6)
    alive = fitter.conditional_probability_alive(scores["x"], scores["t_x"], scores["t"])
    np.testing.assert_allclose(scores["probability_alive_cal"], alive, rtol=0, atol=1e-9)

    backtest = frame(
        cdnow_build, "select * from main_segmentation.segmentation__value_backtest order by 1"
    )
    assert backtest["calibration_purchases"].tolist() == list(range(8))
    assert backtest["customer_count"].sum() == 2357
    bucket = np.minimum(scores["x"].to_numpy(), 7)
    expected = pd.Series(np.asarray(theirs)).groupby(bucket).mean().to_numpy()
    np.testing.assert_allclose(backtest["predicted_mean_holdout_purchases"], expected, atol=1e-6)
    actual = scores.groupby(bucket)["holdout_purchases"].mean().to_numpy()
    np.testing.assert_allclose(backtest["actual_mean_holdout_purchases"], actual, atol=1e-12)
    [(total, actual_total, mae)] = frame(
        cdnow_build,
        "select predicted_holdout_purchases, actual_holdout_purchases, mean_absolute_error "
        "from main_segmentation.segmentation__value_model where fit_scope = 'calibration'",
    ).itertuples(index=False)
    assert total == pytest.approx(float(np.sum(theirs)), abs=1e-6)
    assert actual_total == scores["holdout_purchases"].sum()
    assert mae == pytest.approx(float(np.mean(np.abs(theirs - scores["holdout_purchases"]))))


def test_cdnow_customer_value(cdnow_build) -> None:
    """The full fit's predictions for every customer: P(alive) in [0, 1], values where the
    model applies, tiers, and a note wherever a prediction is null."""
    value = frame(cdnow_build, "select * from main_segmentation.segmentation__customer_value")
    assert len(value) == 2357
    assert value["probability_alive"].between(0, 1).all()
    predicted = value["predicted_value"].notna()
    assert (predicted | value["prediction_note"].notna()).all()
    assert set(value.loc[predicted, "predicted_value_tier"]) == {"top", "middle", "bottom"}
    assert (
        value.loc[predicted, "predicted_value"] <= value.loc[predicted, "value_if_active"]
    ).all()


# --- the functions against lifetimes ----------------------------------------------


@pytest.fixture(scope="module")
def published_summary() -> pd.DataFrame:
    from lifetimes.datasets import load_dataset

    return load_dataset("cdnow_customers_summary_with_transactions.csv")


def test_fit_equals_lifetimes_fit(published_summary) -> None:
    d = published_summary
    ours = FIT.fit_bgnbd(d["x"], d["t_x"], d["T"])
    theirs = BetaGeoFitter().fit(d["x"], d["t_x"], d["T"]).params_[["r", "alpha", "a", "b"]]
    np.testing.assert_allclose(ours["params"], theirs.to_numpy(), rtol=1e-5)
    repeat = d[d["x"] > 0]
    ours_gg = FIT.fit_gamma_gamma(d["x"], d["zbar"])
    theirs_gg = GammaGammaFitter().fit(repeat["x"], repeat["zbar"]).params_[["p", "q", "v"]]
    np.testing.assert_allclose(ours_gg["params"], theirs_gg.to_numpy(), rtol=1e-5)
    assert ours_gg["customers"] == 946 and ours_gg["excluded"] == 0


def test_predictions_equal_lifetimes(published_summary) -> None:
    d = published_summary
    params = np.array([0.243, 4.414, 0.793, 2.426])
    fitter = lifetimes_bgnbd(params)
    for t in (1, 39, 52.3):
        ours = CURVES.expected_purchases(params, t, d["x"], d["t_x"], d["T"])
        theirs = fitter.conditional_expected_number_of_purchases_up_to_time(
            t, d["x"], d["t_x"], d["T"]
        )
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        CURVES.probability_alive(params, d["x"], d["t_x"], d["T"]),
        fitter.conditional_probability_alive(d["x"], d["t_x"], d["T"]),
        rtol=0, atol=1e-12,
    )  # fmt: skip


def test_customer_lifetime_value_equals_lifetimes(published_summary) -> None:
    """Daily periods: lifetimes' customer_lifetime_value (freq 'D': 30-day months) equals
    expected spend x discounted numerator x P(alive)."""
    d = published_summary
    x, t_x, age = d["x"], d["t_x"] * 7, d["T"] * 7
    bgnbd = lifetimes_bgnbd([0.243, 4.414 * 7, 0.793, 2.426])
    gamma_gamma = GammaGammaFitter()
    gamma_gamma.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    m = pd.Series(np.where(x > 0, d["zbar"], 0.0))
    theirs = gamma_gamma.customer_lifetime_value(
        bgnbd, x, t_x, age, m, time=12, discount_rate=0.01, freq="D"
    )
    params = bgnbd.params_.to_numpy()
    spend = CURVES.gamma_gamma_expected_spend([6.25, 3.74, 15.44], x, m)
    ours = (
        spend
        * CURVES.discounted_numerator(params, x, age, 12, 30, 0.01)
        * CURVES.probability_alive(params, x, t_x, age)
    )
    np.testing.assert_allclose(ours, theirs.to_numpy(), rtol=1e-9)


@pytest.mark.parametrize("which", ["bgnbd", "gamma_gamma"])
def test_gradients_are_the_likelihoods_derivatives(published_summary, which) -> None:
    d = (
        published_summary[published_summary["x"] > 0]
        if which == "gamma_gamma"
        else published_summary
    )
    if which == "bgnbd":
        loglik, params, data = (
            FIT.bgnbd_log_likelihood,
            [0.3, 5.0, 0.8, 2.5],
            (d["x"], d["t_x"], d["T"]),
        )
    else:
        loglik, params, data = FIT.gamma_gamma_log_likelihood, [6.0, 4.0, 15.0], (d["x"], d["zbar"])
    data = tuple(np.asarray(v, dtype=float) for v in data)
    _, grad = loglik(np.array(params), *data)
    for i in range(len(params)):
        up, down = np.array(params, dtype=float), np.array(params, dtype=float)
        up[i] *= 1 + 1e-6
        down[i] *= 1 - 1e-6
        numeric = (loglik(up, *data)[0].sum() - loglik(down, *data)[0].sum()) / (up[i] - down[i])
        assert grad[:, i].sum() == pytest.approx(numeric, rel=1e-5)


def test_fit_is_deterministic_and_order_free(published_summary) -> None:
    d = published_summary
    shuffled = d.sample(frac=1, random_state=7)
    one = FIT.fit_bgnbd(d["x"], d["t_x"], d["T"])["params"]
    two = FIT.fit_bgnbd(shuffled["x"], shuffled["t_x"], shuffled["T"])["params"]
    assert one.tolist() == two.tolist()
    one = FIT.fit_gamma_gamma(d["x"], d["zbar"])["params"]
    two = FIT.fit_gamma_gamma(shuffled["x"], shuffled["zbar"])["params"]
    assert one.tolist() == two.tolist()


def test_degenerate_data_gives_a_status_not_a_crash() -> None:
    ones = np.ones(50)
    assert "no repeat purchases" in FIT.fit_bgnbd(0 * ones, 0 * ones, 10 * ones)["status"]
    assert "too few customers" in FIT.fit_bgnbd(ones[:3], ones[:3], ones[:3] * 5, 20)["status"]
    gamma_gamma = FIT.fit_gamma_gamma(ones, 0 * ones, 20)
    assert "too few repeat customers" in gamma_gamma["status"] and gamma_gamma["excluded"] == 50


@pytest.mark.parametrize(
    ("x", "t_x", "age", "message"),
    [
        ([1.0], [5.0], [3.0], "recency must be between 0 and T"),
        ([0.0], [2.0], [3.0], "recency must be 0 without repeat purchases"),
        ([1.5], [1.0], [3.0], "whole number"),
        ([np.nan], [1.0], [3.0], "non-finite"),
    ],
)
def test_a_broken_summary_is_a_clear_error(x, t_x, age, message) -> None:
    with pytest.raises(ValueError, match=f"segmentation: .*{message}"):
        FIT.check_summary(np.array(x), np.array(t_x), np.array(age), "full")


def test_settings_are_validated() -> None:
    assert FIT.read_settings({"value_period_days": "week"})["value_period_days"] == 7
    assert FIT.read_settings({"value_period_days": "day"})["value_period_days"] == 1
    with pytest.raises(ValueError, match="segmentation: value model setting value_max_fit_rows"):
        FIT.read_settings({"value_max_fit_rows": "many"})


def test_sample_is_the_first_customers_by_md5() -> None:
    with duckdb.connect() as con:
        con.execute(
            "create table summary as select 'c' || i as customer_id, true as is_in_calibration, "
            "0.0 as frequency, 0.0 as recency_days, 10.0 as age_days, 0.0 as monetary_value, "
            "0.0 as frequency_cal, 0.0 as recency_cal_days, 5.0 as age_cal_days, "
            "0.0 as monetary_value_cal from range(1000) as t(i)"
        )
        sample, counts = FIT.summary_sample(con.table("summary"), 100)
        expected = [r[0] for r in con.execute(
            "select customer_id from summary order by md5(customer_id) limit 100"
        ).fetchall()]  # fmt: skip
    assert counts == {"full": 1000, "calibration": 1000}
    assert sample["customer_id"].tolist() == expected


# --- the package's own build --------------------------------------------------------


def test_value_summary_equals_the_rfm_summary(built) -> None:
    database, run = built
    assert run.success, run.messages()
    ours = frame(
        database,
        "select customer_id, frequency, recency_days as recency, age_days as t, monetary_value "
        "from main_segmentation_intermediate.int_segmentation__value_summary order by 1",
    )
    theirs = frame(
        database,
        'select customer_id, frequency, recency, "T" as t, monetary_value '
        "from main_segmentation.segmentation__rfm_summary order by 1",
    )
    pd.testing.assert_frame_equal(ours, theirs)


def value_audiences_flow(database: Path) -> dict[str, int]:
    """The value audiences' members in the customer value mart, checked against the
    current history, the audiences mart and the sync feed; returns the member counts."""
    value = frame(database, "select * from main_segmentation.segmentation__customer_value")
    flags = {
        "high_value_at_risk": int(value["is_high_value_at_risk"].sum()),
        "likely_to_buy_soon": int(value["is_likely_to_buy_soon"].sum()),
    }
    at_risk = value["value_if_active"].rank(ascending=False, method="max", pct=True) <= 0.2
    expected = at_risk & (value["probability_alive"] < 0.5) & value["value_if_active"].notna()
    assert value["is_high_value_at_risk"].tolist() == expected.tolist()
    assert value["is_likely_to_buy_soon"].tolist() == (value["expected_purchases"] >= 0.5).tolist()
    labels = frame(
        database,
        "select label, customer_id "
        "from main_segmentation.segmentation__segment_membership_history "
        "where label_kind = 'predicted_value' and is_current",
    )
    for label, column in (
        ("high_value_at_risk", "is_high_value_at_risk"),
        ("likely_to_buy_soon", "is_likely_to_buy_soon"),
    ):
        members = set(labels.loc[labels["label"] == label, "customer_id"])
        assert members == set(value.loc[value[column], "customer_id"]), label
    audiences = frame(
        database,
        "select label, audience_name, member_count "
        "from main_segmentation.segmentation__audiences "
        "where audience_kind = 'predicted_value' order by 1",
    )
    names = {"high_value_at_risk": "High value at risk", "likely_to_buy_soon": "Likely to buy soon"}
    for row in audiences.itertuples():
        assert (row.audience_name, row.member_count) == (names[row.label], flags[row.label])
    assert set(audiences["label"]) == {label for label, count in flags.items() if count}
    [(entered,)] = frame(
        database,
        "select count(*) from main_segmentation.segmentation__sync_changes "
        "where new_audience_id like 'predicted_value:%' and change_type = 'entered'",
    ).itertuples(index=False)
    return {**flags, "entered": int(entered)}


def test_value_marts_and_audiences(built) -> None:
    database, _ = built
    fits = frame(database, "select * from main_segmentation.segmentation__value_model order by 2")
    assert fits["fit_scope"].tolist() == ["calibration", "full"]
    assert (fits["bgnbd_status"] == "fitted").all()
    assert (fits["gamma_gamma_status"] == "fitted").all()
    assert (fits["holdout_customers"].notna()).tolist() == [True, False]
    [(customers,)] = frame(
        database, "select count(*) from main_segmentation.segmentation__rfm_summary"
    ).itertuples(index=False)
    [(valued,)] = frame(
        database, "select count(*) from main_segmentation.segmentation__customer_value"
    ).itertuples(index=False)
    assert valued == customers
    counts = value_audiences_flow(database)
    assert counts["likely_to_buy_soon"] > 0
    # First build: every label entered.
    assert counts["entered"] == counts["high_value_at_risk"] + counts["likely_to_buy_soon"]


def test_high_value_at_risk_flows_like_every_label(built, tmp_path: Path) -> None:
    """The generated shop's customers rarely drop out (BG/NBD's a is near 0), so at the
    default bound (P(alive) < 0.5) nobody is at risk; with the bound at 0.999 some are, and
    their label reaches the history, the audiences and the sync feed of the next build."""
    source, run = built
    assert run.success, run.messages()
    database = copy_database(source, tmp_path / "build.duckdb")
    variables = {"segmentation__at_risk_max_probability_alive": 0.999}
    run = run_dbt(["build", "--select", "int_segmentation__customer_value+"], database, variables)
    assert run.success, run.messages()
    value = frame(database, "select * from main_segmentation.segmentation__customer_value")
    at_risk = value["value_if_active"].rank(ascending=False, method="max", pct=True) <= 0.2
    expected = at_risk & (value["probability_alive"] < 0.999)
    assert value["is_high_value_at_risk"].tolist() == expected.tolist()
    assert expected.sum() > 0
    members = set(value.loc[expected, "customer_id"])
    labels = frame(
        database,
        "select customer_id from main_segmentation.segmentation__segment_membership_history "
        "where label = 'high_value_at_risk' and is_current",
    )
    assert set(labels["customer_id"]) == members
    feed = frame(
        database,
        "select customer_id from main_segmentation.segmentation__sync_changes "
        "where new_audience_id = 'predicted_value:high_value_at_risk' and change_type = 'entered'",
    )
    assert set(feed["customer_id"]) == members
    [(count,)] = frame(
        database,
        "select member_count from main_segmentation.segmentation__audiences "
        "where audience_id = 'predicted_value:high_value_at_risk'",
    ).itertuples(index=False)
    assert count == len(members)
