"""Clustering: SQL assignment equals scikit-learn, planted personas are recovered,
builds are deterministic, and segment identities survive new data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, frame, load_module, query, run_dbt
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from segmentation_demo.generate import PERSONAS, generate
from segmentation_demo.load import load

MODEL = "main_segmentation.segmentation__cluster_model"
ASSIGNMENTS = "main_segmentation_intermediate.int_segmentation__segment_assignments"
PROFILES = "main_segmentation.segmentation__segment_profiles"
SEGMENTS = "main_segmentation.segmentation__customer_segments_v1"
FEATURES = "main_segmentation.segmentation__customer_features"
PLANTED = len([p for p in PERSONAS if p.name != "prospect"])  # prospects never order
# A selected build runs the tests of the selected models, not those that also read others.
CAUTIOUS = ["--indirect-selection", "cautious"]


def load_model_module():
    return load_module(
        ROOT / "models" / "segments" / "segmentation__cluster_model.py", "cluster_model"
    )


@dataclass
class Demo:
    data_dir: Path
    database: Path


def build_demo(base: Path, seed: int, *select: str) -> Demo:
    generate(base / "data", customers=5000, seed=seed, fmt="parquet")
    database = base / "demo.duckdb"
    load(base / "data", database)
    run = run_dbt(["build", *select], database)
    assert run.success, run.messages()
    # dbt-duckdb may keep the file open in this process: write the WAL into the
    # file so that tests can copy it.
    query(database, "checkpoint")
    return Demo(base / "data", database)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("demo42"), seed=42)


@pytest.fixture(scope="module")
def other_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    # Only the fit and the assignments, with their own tests: all that the ARI reads.
    select = ["--select", "+int_segmentation__segment_assignments"]
    return build_demo(tmp_path_factory.mktemp("demo7"), 7, *select, *CAUTIOUS)


def assignments(database: Path) -> pd.Series:
    rows = frame(database, f"select customer_id, segment_id from {ASSIGNMENTS}")
    return rows.set_index("customer_id")["segment_id"].sort_index()


def test_sql_assignment_equals_sklearn_predict(demo: Demo) -> None:
    cluster_model = load_model_module()
    fit = frame(demo.database, f"select * from {MODEL} order by segment_id")
    spec = json.loads(fit["feature_spec"].iloc[0])
    centroids = np.stack([json.loads(c) for c in fit["centroid"]])
    features = frame(demo.database, f"select * from {FEATURES} where order_count >= 1")
    matrix = cluster_model.transform(features, spec)
    # A fitted k-means whose centres are exactly the stored centroids: fit once,
    # then set the centres (fitting on the centroids alone moves them by rounding).
    kmeans = KMeans(n_clusters=len(centroids), init=centroids, n_init=1).fit(centroids)
    kmeans.cluster_centers_ = centroids.copy()
    predicted = pd.Series(
        fit["segment_id"].to_numpy()[kmeans.predict(matrix)], index=features["customer_id"]
    ).sort_index()
    sql = assignments(demo.database).loc[predicted.index]
    assert len(predicted) > 4000
    assert (sql.to_numpy() == predicted.to_numpy()).mean() == 1.0


def test_ineligible_customers_get_a_reason(demo: Demo) -> None:
    rows = query(
        demo.database,
        f"select ineligibility_reason, count(*) from {ASSIGNMENTS} "
        "where segment_id is null group by all",
    )
    assert rows and all(reason == "no accepted orders" for reason, _ in rows)
    [(missing,)] = query(
        demo.database,
        f"select count(*) from {ASSIGNMENTS} where is_eligible and segment_id is null",
    )
    assert missing == 0


def _ari(found: Demo) -> tuple[float, int]:
    truth = pd.read_csv(found.data_dir / "ground_truth.csv").set_index("customer_id")["persona"]
    segments = assignments(found.database).dropna()
    ari = adjusted_rand_score(truth.loc[segments.index], segments)
    [(k,)] = query(found.database, f"select max(k) from {MODEL}")
    print(f"ARI {ari:.3f} with k={k} on {len(segments)} clustered customers")
    return ari, k


def test_planted_personas_are_recovered_on_the_demo(demo: Demo) -> None:
    ari, k = _ari(demo)
    assert ari >= 0.80
    assert abs(k - PLANTED) <= 1


def test_planted_personas_are_recovered_on_another_seed(other_demo: Demo) -> None:
    ari, k = _ari(other_demo)
    assert ari >= 0.80
    assert abs(k - PLANTED) <= 1


def test_segment_names_are_generated_and_distinct(demo: Demo) -> None:
    profiles = frame(demo.database, f"select * from {PROFILES}")
    assert profiles["segment_name"].is_unique
    assert profiles["segment_name"].str.contains(" · ").all()
    assert abs(profiles["customer_share"].sum() - 1) < 1e-9


def _model_table(database: Path) -> pd.DataFrame:
    """The fit, less the build's own decision columns (docs/decisions/0023)."""
    table = frame(
        database,
        f"select * exclude (run_decision, refit_reason, drift) from {MODEL} order by segment_id",
    )
    return table.reset_index(drop=True)


def _marts(database: Path) -> dict[str, pd.DataFrame]:
    """Every mart but the run history, less the build timestamps."""
    return {
        name: frame(database, sql)
        for name, sql in {
            "segments": f"select * exclude (segmented_at) from {SEGMENTS} order by customer_id",
            "profiles": f"select * from {PROFILES} order by segment_id",
            "features": "select * from main_segmentation.segmentation__customer_features "
            "order by customer_id",
        }.items()
    }


def test_two_builds_give_identical_models_and_assignments(demo: Demo, tmp_path: Path) -> None:
    database = tmp_path / "demo.duckdb"  # the demo's name: the build reuses its parse
    database.write_bytes(demo.database.read_bytes())
    before_model, before = _model_table(database), assignments(database)
    before_marts = _marts(database)
    run = run_dbt(["build"], database, work_dir=tmp_path)
    assert run.success, run.messages()
    # The same data: the refit policy keeps the fit, rows unchanged (fitted_at too).
    pd.testing.assert_frame_equal(_model_table(database), before_model)
    [(decision, reason, drift)] = query(
        database, f"select distinct run_decision, refit_reason, drift from {MODEL}"
    )
    assert (decision, reason, drift) == ("kept", None, 0.0)
    pd.testing.assert_series_equal(assignments(database), before)
    for name, table in _marts(database).items():
        pd.testing.assert_frame_equal(table, before_marts[name], obj=name)
    # The stability test compared with the copy of the first build: nothing moved.
    stability = [r for r in run.results if r.node.name.endswith("stable_since_previous_build")]
    assert [str(r.status) for r in stability] == ["pass"]
    assert "__previous" in stability[0].node.compiled_code  # it really compared
    [(previous,)] = query(database, f"select count(*) from {SEGMENTS}__previous")
    assert previous == len(before)
    [(runs,)] = query(
        database, "select count(*) from main_segmentation.segmentation__clustering_runs"
    )
    assert runs == 2  # one appended row per build
    # And a forced refit of the same data gives the same model (deterministic fit), ids included.
    forced = run_dbt(
        ["run", "--select", "segmentation__cluster_model"],
        database,
        {"segmentation__refit": True},
        work_dir=tmp_path,
    )
    assert forced.success, forced.messages()
    refitted = _model_table(database)
    assert (refitted["fitted_at"] >= before_model["fitted_at"]).all()
    pd.testing.assert_frame_equal(
        refitted.drop(columns="fitted_at"), before_model.drop(columns="fitted_at")
    )
    [(decision, reason)] = query(
        database, f"select distinct run_decision, refit_reason from {MODEL}"
    )
    assert (decision, reason) == ("refit", "forced")


def test_segments_are_stable_when_orders_are_added(demo: Demo, tmp_path: Path) -> None:
    database = tmp_path / "demo.duckdb"  # the demo's name: the build reuses its parse
    database.write_bytes(demo.database.read_bytes())
    before = assignments(database)
    names_before = frame(database, f"select segment_id, segment_name from {PROFILES}")
    with duckdb.connect(str(database)) as con:
        [(orders,)] = (con.execute("select count(*) from segmentation_raw.orders").fetchone(),)
        # About 1% new orders: repeat purchases by existing customers after the old as-of date.
        con.execute(
            """
            insert into segmentation_raw.orders
            select 'N' || order_id, customer_id, '2026-07-05 12:00:00', order_total,
                   discount_total, channel, status
            from segmentation_raw.orders
            where order_id like 'O0%' and hash(order_id) % 100 = 0
            """
        )
        [(after,)] = (con.execute("select count(*) from segmentation_raw.orders").fetchone(),)
    assert 0.005 <= (after - orders) / orders <= 0.02
    # Up to the profiles (fit, assignments, names) with their own tests: all it compares.
    # A forced refit: with the default policy a build five days later keeps the fit, and
    # every customer would keep their segment trivially (docs/decisions/0023).
    select = ["--select", "+segmentation__segment_profiles", *CAUTIOUS]
    run = run_dbt(["build", *select], database, {"segmentation__refit": True}, work_dir=tmp_path)
    assert run.success, run.messages()
    [(decision,)] = query(database, f"select distinct run_decision from {MODEL}")
    assert decision == "refit"
    now = assignments(database)
    kept = (now.loc[before.index].fillna(-1) == before.fillna(-1)).mean()
    print(f"{kept:.2%} of customers kept their segment_id after adding {after - orders} orders")
    assert kept >= 0.98
    names_after = frame(database, f"select segment_id, segment_name from {PROFILES}")
    merged = names_before.merge(names_after, on="segment_id", suffixes=("_before", "_after"))
    assert len(merged) == len(names_before)
    assert (merged["segment_name_before"] == merged["segment_name_after"]).all()
