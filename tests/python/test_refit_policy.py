"""The refit policy (docs/decisions/0023): the decision functions of the cluster and value
models, loaded from the model files, and two builds showing that a daily run keeps the fit,
that segmentation__refit: true refits, that a changed setting refits, and that
--full-refresh decides as an incremental build does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, copy_database, frame, load_module, query, run_dbt

cm = load_module(ROOT / "models" / "segments" / "segmentation__cluster_model.py", "cluster_model")
vf = load_module(ROOT / "models" / "segments" / "segmentation__value_fit.py", "value_fit")

MODEL = "main_segmentation.segmentation__cluster_model"
RUNS = "main_segmentation.segmentation__clustering_runs"
VALUE_FIT = "main_segmentation.segmentation__value_fit"
VALUE_MODEL = "main_segmentation.segmentation__value_model"
AS_OF = dt.date(2026, 6, 30)
POLICY = {"refit": None, "refit_every_days": 7, "refit_drift": 0.25}


# --- cluster model: the decision ---------------------------------------------


def _settings(**changes) -> dict:
    return cm.read_settings({"cluster_features": [{"column": "x"}], "cluster_k": 2, **changes})


def _previous(fingerprint: str, fitted_as_of: dt.date | None = AS_OF) -> pd.DataFrame:
    """A previous fit of one dimension x: centroids 0 and 10, inertia 1 per fitted row."""
    spec = json.dumps([{"column": "x", "transform": "identity", "center": 0.0, "scale": 1.0}])
    return pd.DataFrame(
        {
            "segment_id": [1, 2],
            "fit_id": ["f1", "f1"],
            "centroid": ["[0.0]", "[10.0]"],
            "feature_spec": [spec, spec],
            "inertia": [4.0, 4.0],
            "sample_size": [4, 4],
            "settings_fingerprint": [fingerprint, fingerprint],
            "fitted_as_of_date": [pd.Timestamp(fitted_as_of)] * 2,  # as DuckDB's .df() gives it
        }
    )


def test_each_reason_in_its_order() -> None:
    fingerprint = cm.settings_fingerprint(_settings())
    previous = _previous(fingerprint)
    decide = cm.refit_decision
    assert decide(None, fingerprint, AS_OF, None, {**POLICY, "refit": False}) == "no_previous_fit"
    assert decide(previous, "other", AS_OF, 0.0, {**POLICY, "refit": False}) == "settings_changed"
    assert decide(
        previous.drop(columns="settings_fingerprint"), fingerprint, AS_OF, None, POLICY
    ) == (
        "settings_changed"  # a table of an older version
    )
    assert decide(previous, fingerprint, AS_OF, 0.0, {**POLICY, "refit": True}) == "forced"
    assert decide(previous, fingerprint, AS_OF, 0.0, POLICY) is None
    next_day = AS_OF + dt.timedelta(days=1)
    assert decide(previous, fingerprint, next_day, 0.01, POLICY) is None
    assert decide(previous, fingerprint, AS_OF + dt.timedelta(days=6), 0.0, POLICY) is None
    assert decide(previous, fingerprint, AS_OF + dt.timedelta(days=7), 0.0, POLICY) == "schedule"
    assert decide(previous, fingerprint, AS_OF - dt.timedelta(days=1), 0.0, POLICY) == "schedule"
    assert decide(previous, fingerprint, AS_OF, 0.0, {**POLICY, "refit_every_days": 0}) == (
        "schedule"
    )
    assert decide(previous, fingerprint, next_day, 0.3, POLICY) == "drift"
    assert decide(previous, fingerprint, next_day, 0.25, POLICY) is None  # not above
    assert decide(previous, fingerprint, next_day, 0.3, {**POLICY, "refit_drift": None}) is None
    never = {**POLICY, "refit": False}
    assert decide(previous, fingerprint, AS_OF + dt.timedelta(days=99), 9.0, never) is None
    no_schedule = {**POLICY, "refit_every_days": None}
    assert decide(previous, fingerprint, AS_OF + dt.timedelta(days=99), 0.0, no_schedule) is None


def test_policy_is_read_from_rendered_vars() -> None:
    assert cm.read_policy({}) == POLICY
    rendered = {"refit": "None", "refit_every_days": "None", "refit_drift": "None"}
    assert cm.read_policy(rendered) == {
        "refit": None,
        "refit_every_days": None,
        "refit_drift": None,
    }
    assert cm.read_policy({"refit": "True", "refit_every_days": "0", "refit_drift": "0.1"}) == {
        "refit": True,
        "refit_every_days": 0,
        "refit_drift": 0.1,
    }
    assert cm.read_policy({"refit": False})["refit"] is False
    with pytest.raises(ValueError, match="segmentation: refit must be"):
        cm.read_policy({"refit": "sometimes"})
    with pytest.raises(ValueError, match="refit_every_days"):
        cm.read_policy({"refit_every_days": "-1"})


def test_drift_on_a_hand_made_matrix() -> None:
    previous = _previous("any")
    # Squared distances to the nearest centroid (0 or 10): 1, 1, 1, 4 -> mean 1.75; the fit
    # had 4 / 4 = 1 per row, so drift = 1.75 / 1 - 1 = 0.75.
    sample = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "x": [1.0, -1.0, 9.0, 12.0]})
    assert cm.fit_drift(sample, previous) == pytest.approx(0.75, abs=1e-12)
    # As tight as at the fit: 0, and never -0.0.
    same = pd.DataFrame({"customer_id": ["a", "b"], "x": [1.0, 11.0]})
    assert cm.fit_drift(same, previous) == 0.0
    assert str(cm.fit_drift(pd.DataFrame({"customer_id": ["a"], "x": [-1.0]}), previous)) == "0.0"
    # The fit's own transform is applied: a scale of 2 halves every coordinate.
    scaled = previous.assign(
        feature_spec=json.dumps([{"column": "x", "transform": "identity", "center": 0, "scale": 2}])
    )
    assert cm.fit_drift(sample.assign(x=sample["x"] * 2), scaled) == pytest.approx(0.75)
    assert cm.fit_drift(sample.iloc[:0], previous) is None


def test_settings_fingerprint_changes_with_what_defines_the_model(monkeypatch) -> None:
    base = cm.settings_fingerprint(_settings())
    assert cm.settings_fingerprint(_settings()) == base
    assert cm.settings_fingerprint(cm.read_settings({"cluster_features": [{"column": "x"}],
                                                      "cluster_k": "2"})) == base  # fmt: skip
    for change in (
        {"cluster_k": 3},
        {"cluster_features": [{"column": "x", "transform": "log1p"}]},
        {"cluster_scaling": "standard"},
        {"cluster_eligible_min_orders": 2},
        {"cluster_random_state": 7},
        {"cluster_k_max": 9},
    ):
        assert cm.settings_fingerprint(_settings(**change)) != base, change
    monkeypatch.setattr(cm, "PACKAGE_VERSION", "9.9.9")
    assert cm.settings_fingerprint(_settings()) != base


def _sample(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:02d}" for i in range(n)],
            "x": [i % 2 * 10.0 + i / n for i in range(n)],
        }
    )


def test_a_kept_fit_comes_back_unchanged() -> None:
    settings = _settings()
    first = cm.decide_and_fit(_sample(), 40, settings, POLICY, None, AS_OF)
    assert first["run_decision"].unique().tolist() == ["refit"]
    assert first["refit_reason"].unique().tolist() == ["no_previous_fit"]
    assert first["drift"].isna().all()
    assert list(first.columns) == [*cm.FIT_COLUMNS, *cm.RUN_COLUMNS]
    assert first["fitted_as_of_date"].tolist() == [AS_OF, AS_OF]
    # What the next build reads back (DuckDB gives dates as timestamps).
    previous = first.assign(
        fitted_as_of_date=pd.to_datetime(first["fitted_as_of_date"]),
        fitted_at=first["fitted_at"] - pd.Timedelta(days=3),
    )
    kept = cm.decide_and_fit(_sample(), 41, settings, POLICY, previous, AS_OF + dt.timedelta(1))
    assert kept["run_decision"].unique().tolist() == ["kept"]
    assert kept["refit_reason"].isna().all()
    assert kept["drift"].tolist() == [0.0, 0.0]  # the same customers: as tight as at the fit
    fit_columns = list(cm.FIT_COLUMNS)
    expected = previous.assign(fitted_as_of_date=[AS_OF, AS_OF])[fit_columns]
    pd.testing.assert_frame_equal(kept[fit_columns], expected)
    forced = cm.decide_and_fit(
        _sample(), 40, settings, {**POLICY, "refit": True}, previous, AS_OF + dt.timedelta(1)
    )
    assert forced["refit_reason"].unique().tolist() == ["forced"]
    assert forced["fitted_as_of_date"].unique().tolist() == [AS_OF + dt.timedelta(1)]
    other = cm.decide_and_fit(_sample(), 40, _settings(cluster_k=3), POLICY, previous, AS_OF)
    assert other["refit_reason"].unique().tolist() == ["settings_changed"]
    assert other["drift"].isna().all()  # not comparable


# --- value model: the decision -----------------------------------------------


def _value_previous(fingerprint: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fit_scope": ["calibration", "full"],
            "fit_id": ["c", "f"],
            "settings_fingerprint": [fingerprint] * 2,
            "fitted_as_of_date": [pd.Timestamp(AS_OF)] * 2,
        }
    )


def test_value_fit_decides_like_the_cluster_model_without_drift() -> None:
    settings = vf.read_settings({"value_period_days": "week"})
    fingerprint = vf.settings_fingerprint(settings)
    assert vf.settings_fingerprint(vf.read_settings({"value_holdout_days": "90"})) != fingerprint
    assert vf.settings_fingerprint(vf.read_settings({"value_max_fit_rows": "100"})) != fingerprint
    previous = _value_previous(fingerprint)
    policy = vf.read_policy({"refit": "None", "refit_every_days": "7"})
    decide = vf.refit_decision
    next_day = AS_OF + dt.timedelta(days=1)
    assert decide(None, fingerprint, next_day, policy) == "no_previous_fit"
    assert decide(previous.iloc[:1], fingerprint, next_day, policy) == "settings_changed"
    assert decide(previous, "other", next_day, policy) == "settings_changed"
    assert decide(previous.drop(columns="fitted_as_of_date"), fingerprint, AS_OF, policy) == (
        "settings_changed"
    )
    assert decide(previous, fingerprint, next_day, {**policy, "refit": True}) == "forced"
    assert decide(previous, fingerprint, next_day, policy) is None
    assert decide(previous, fingerprint, AS_OF + dt.timedelta(days=7), policy) == "schedule"
    assert (
        decide(previous, fingerprint, AS_OF + dt.timedelta(days=70), {**policy, "refit": False})
        is None
    )


def test_a_kept_value_fit_draws_no_sample() -> None:
    settings = vf.read_settings({})
    fingerprint = vf.settings_fingerprint(settings)
    row = {column: 1 for column in vf.FIT_COLUMNS}
    previous = pd.DataFrame([{**row, "fit_scope": scope} for scope in ("full", "calibration")])
    previous = previous.assign(
        settings_fingerprint=fingerprint,
        fitted_as_of_date=pd.Timestamp(AS_OF),
        fitted_through_date=pd.Timestamp(AS_OF),
        fitted_at=pd.Timestamp("2026-07-01 08:00:00"),
        fit_id=["f", "c"],
        bgnbd_status="fitted",
    )

    def no_sample():
        raise AssertionError("a kept fit must not draw the sample")

    next_day = AS_OF + dt.timedelta(days=1)
    kept = vf.decide_and_fit(no_sample, settings, vf.read_policy({}), previous, (next_day, None))
    assert kept["fit_scope"].tolist() == ["calibration", "full"]
    assert kept["fit_id"].tolist() == ["c", "f"]
    assert kept["run_decision"].tolist() == ["kept", "kept"]
    assert kept["refit_reason"].isna().all()
    assert kept["fitted_as_of_date"].tolist() == [AS_OF, AS_OF]
    assert list(kept.columns) == [*vf.FIT_COLUMNS, "run_decision", "refit_reason"]


# --- builds ------------------------------------------------------------------


def _add_order_next_day(database: Path) -> dt.date:
    """One repeat order by an existing customer on the day after the as-of date: the
    as-of date moves by one day, as in a daily incremental run."""
    [(as_of,)] = query(
        database, "select as_of_date from main_segmentation_intermediate.int_segmentation__as_of"
    )
    next_day = as_of + dt.timedelta(days=1)
    query(
        database,
        f"""
        insert into segmentation_raw.orders
        select 'NEXT' || order_id, customer_id, '{next_day} 12:00:00', order_total,
               discount_total, channel, status
        from segmentation_raw.orders
        order by order_id
        limit 1
        """,
    )
    return next_day


def _decisions(database: Path) -> dict[str, list]:
    return {
        "cluster": query(
            database,
            f"select distinct fit_id, fitted_at, run_decision, refit_reason from {MODEL}",
        ),
        "value": query(
            database,
            f"select fit_scope, fit_id, fitted_at, run_decision, refit_reason from {VALUE_FIT} "
            "order by fit_scope",
        ),
    }


@pytest.fixture(scope="module")
def next_day_build(built, tmp_path_factory: pytest.TempPathFactory):
    """The session build plus one order the day after its as-of date, built again
    with default vars: the daily run."""
    database, first_run = built
    assert first_run.success, first_run.messages()
    work = tmp_path_factory.mktemp("refit")
    copy = copy_database(database, work / "build.duckdb")  # its name: the parse is reused
    before = _decisions(copy)
    next_day = _add_order_next_day(copy)
    query(copy, "checkpoint")
    copy_database(copy, work / "before_second_build.duckdb")
    run = run_dbt(["build"], copy, work_dir=work)
    assert run.success, run.messages()
    return work, copy, before, next_day


def test_a_daily_build_keeps_both_fits(next_day_build) -> None:
    _, database, before, next_day = next_day_build
    [(as_of,)] = query(database, f"select max(as_of_date) from {RUNS}")
    assert as_of == next_day
    after = _decisions(database)
    [(fit_id, fitted_at, decision, reason)] = after["cluster"]
    assert (fit_id, fitted_at) == before["cluster"][0][:2]
    assert (decision, reason) == ("kept", None)
    assert [r[:3] for r in after["value"]] == [r[:3] for r in before["value"]]
    assert {(r[3], r[4]) for r in after["value"]} == {("kept", None)}
    runs = frame(database, f"select * from {RUNS} order by run_at")
    assert runs["fit_id"].tolist() == [fit_id, fit_id]
    assert runs["run_decision"].tolist() == ["refit", "kept"]
    assert runs["refit_reason"].tolist()[0] == "no_previous_fit" and pd.isna(
        runs["refit_reason"][1]
    )
    assert runs["run_id"].is_unique
    assert runs["fitted_as_of_date"].dt.date.tolist() == [next_day - dt.timedelta(days=1)] * 2
    # One day later the fit is about as tight as on its own sample (-0.017 here: a day
    # moves recency and tenure a little; negative is tighter), far below the 0.25 trigger.
    assert abs(runs["drift"].iloc[1]) < 0.1
    value = frame(database, f"select * from {VALUE_MODEL} order by fit_scope")
    assert value["run_decision"].tolist() == ["kept", "kept"]
    assert (value["fitted_as_of_date"] < value["as_of_date"]).all()


def test_full_refresh_decides_as_the_incremental_build(next_day_build) -> None:
    """The same data and previous fits: --full-refresh keeps the same fits."""
    work, database, _, _ = next_day_build
    (work / "full").mkdir()
    other = copy_database(work / "before_second_build.duckdb", work / "full" / "build.duckdb")
    # Everything the two fits read, rebuilt from scratch (incremental models included).
    select = ["--select", "+segmentation__cluster_model", "+segmentation__value_fit"]
    run = run_dbt(["run", "--full-refresh", *select], other, work_dir=other.parent)
    assert run.success, run.messages()
    for table in (MODEL, VALUE_FIT):
        ours = frame(other, f"select * from {table} order by all")
        theirs = frame(database, f"select * from {table} order by all")
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True, obj=table)


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        ({"segmentation__refit": True}, "forced"),
        (
            {"segmentation__eligible_min_orders": 2, "segmentation__value_max_fit_rows": 300},
            "settings_changed",
        ),
    ],
)
def test_forced_or_changed_settings_refit(
    next_day_build, tmp_path: Path, variables, reason
) -> None:
    _, database, _, _ = next_day_build
    copy = copy_database(database, tmp_path / "build.duckdb")
    select = ["--select", "segmentation__cluster_model", "segmentation__value_fit"]
    run = run_dbt(["run", *select], copy, variables, work_dir=tmp_path)
    assert run.success, run.messages()
    decisions = _decisions(copy)
    [(_, _, decision, refit_reason)] = decisions["cluster"]
    assert (decision, refit_reason) == ("refit", reason)
    assert {(r[3], r[4]) for r in decisions["value"]} == {("refit", reason)}
    [(as_of, drift)] = query(copy, f"select distinct fitted_as_of_date, drift from {MODEL}")
    assert as_of == next_day_build[3]  # the new fit's as-of date
    # Drift is measured against a comparable previous fit only (same settings).
    assert (drift is None) == (reason == "settings_changed")
