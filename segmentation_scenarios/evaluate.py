"""Build a scenario shop with the package and score the segments against the planted truth.

Used by `scripts/bench_segment_quality.py` (every scenario) and by pytest (a
fast subset). dbt runs in-process through `dbtRunner` with the repository's
profile pointed at the scenario's own DuckDB file. Only the scenario's
vocabulary vars (manifest `vars`) are set: everything else is the package's
defaults, as a new user would run it.

ARI is computed over the customers the package clusters (at least one
accepted order) whose planted persona is not `noise`: noise customers have no
true group to recover.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from dbt.cli.main import dbtRunner
from sklearn.metrics import adjusted_rand_score

from segmentation_scenarios.generate import generate_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
MODEL = "main_segmentation.segmentation__cluster_model"
ASSIGNMENTS = "main_segmentation_intermediate.int_segmentation__segment_assignments"
FEATURES = "main_segmentation.segmentation__customer_features"
PROFILES = "main_segmentation.segmentation__segment_profiles"
TRAITS = "main_segmentation_intermediate.int_segmentation__segment_traits"


@dataclass
class Build:
    """One dbt invocation: success, seconds, and the nodes that did not pass."""

    success: bool
    seconds: float
    not_passed: list[str] = field(default_factory=list)
    node_seconds: dict[str, float] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def invoke_dbt(
    args: list[str],
    database: Path,
    work: Path,
    variables: dict | None = None,
    project_dir: Path = ROOT,
    callbacks: list | None = None,
    quiet: bool = False,
    manifest=None,
):
    """dbt in-process (dbtRunner) on `project_dir` with its DuckDB file at `database`,
    target and logs under `work`; returns dbt's own result object. `manifest`: one that
    dbt parsed for the same project, vars and database name, so dbt does not parse again."""
    command = [*(["--quiet"] if quiet else []), *args, "--project-dir", str(project_dir),
               "--profiles-dir", str(project_dir), "--target-path", str(work / "target"),
               "--log-path", str(work / "logs")]  # fmt: skip
    if variables:
        # As UTF-8: dbt reads --vars as YAML, which rejects JSON's surrogate-pair escapes (emoji).
        command += ["--vars", json.dumps(variables, ensure_ascii=False)]
    previous = os.environ.get("SEGMENTATION_DUCKDB_PATH")
    os.environ["SEGMENTATION_DUCKDB_PATH"] = str(database)
    try:
        return dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(command)
    finally:
        if previous is None:
            os.environ.pop("SEGMENTATION_DUCKDB_PATH", None)
        else:
            os.environ["SEGMENTATION_DUCKDB_PATH"] = previous


def run_dbt(args: list[str], database: Path, work: Path, variables: dict | None = None) -> Build:
    started = time.perf_counter()
    outcome = invoke_dbt(args, database, work, variables, quiet=True)
    seconds = time.perf_counter() - started
    results = list(getattr(outcome.result, "results", []) or [])
    build = Build(bool(outcome.success), seconds)
    for result in results:
        build.node_seconds[result.node.name] = float(result.execution_time or 0)
        if str(result.status) not in ("pass", "success", "no-op"):  # exposures are no-ops
            build.not_passed.append(f"{result.node.name}: {result.status}")
            if result.message:
                build.messages.append(str(result.message))
    if outcome.exception is not None:
        build.messages.append(str(outcome.exception))
    return build


@dataclass
class Shop:
    """A generated, loaded scenario: its folder, DuckDB file and manifest."""

    name: str
    data_dir: Path
    database: Path
    manifest: dict

    @property
    def variables(self) -> dict:
        return dict(self.manifest.get("vars") or {})

    @property
    def true_k(self) -> int:
        return int(self.manifest["true_k"])


def prepare(name: str, work: Path, customers: int = 4000) -> Shop:
    """Generate scenario `name` into `work/name` and load it into a fresh DuckDB file."""
    folder = work / name
    data_dir = folder / "data"
    manifest = generate_scenario(name, data_dir, customers=customers)
    database = folder / "shop.duckdb"
    database.unlink(missing_ok=True)
    load_scenario(data_dir, database)
    return Shop(name, data_dir, database, manifest)


def frame(database: Path, sql: str) -> pd.DataFrame:
    """A query's result as a DataFrame. Not read-only: dbt-duckdb may still hold the file."""
    with duckdb.connect(str(database)) as con:
        return con.execute(sql).df()


def truth(shop: Shop) -> pd.Series:
    return pd.read_csv(shop.data_dir / "ground_truth.csv").set_index("customer_id")["persona"]


def segment_ari(shop: Shop) -> tuple[float, int, int]:
    """(ARI against the planted personas, chosen k, customers scored)."""
    assigned = frame(shop.database, f"select customer_id, segment_id from {ASSIGNMENTS}")
    assigned = assigned.dropna().set_index("customer_id")["segment_id"]
    planted = truth(shop).reindex(assigned.index)
    keep = planted.notna() & (planted != "noise")
    [k] = frame(shop.database, f"select max(k) as k from {MODEL}")["k"]
    return float(adjusted_rand_score(planted[keep], assigned[keep])), int(k), int(keep.sum())


def name_problems(shop: Shop, min_z: float = 0.5, min_position: float = 0.6) -> list[str]:
    """Names that repeat within the fit, and traits a name states that pandas finds
    untrue against all buying customers (independently of the SQL that chose them)."""
    profiles = frame(shop.database, f"select segment_id, segment_name from {PROFILES}")
    problems = [
        f"name {name!r} is used by {count} segments"
        for name, count in profiles["segment_name"].value_counts().items()
        if count > 1
    ]
    traits = frame(
        shop.database,
        f"select segment_id, name_trait_1, name_trait_2, name_trait_3, name_trait_4, name_trait_5 "
        f"from {TRAITS}",
    )
    features = frame(shop.database, f"select * from {FEATURES} where order_count >= 1")
    assigned = frame(shop.database, f"select customer_id, segment_id from {ASSIGNMENTS}")
    features = features.merge(assigned, on="customer_id", how="left")
    for row in traits.itertuples(index=False):
        members = features[features["segment_id"] == row.segment_id]
        for key in row[1:]:
            if key is None or (isinstance(key, float) and np.isnan(key)):
                continue
            column, direction = key.split(":")
            population = pd.to_numeric(features[column], errors="coerce").astype(float).dropna()
            values = pd.to_numeric(members[column], errors="coerce").astype(float).dropna()
            z = (values.mean() - population.mean()) / population.std(ddof=0)
            median = values.median()
            position = ((population < median).sum() + 0.5 * (population == median).sum()) / len(
                population
            )
            holds = (
                z >= min_z and position >= min_position
                if direction == "high"
                else z <= -min_z and position <= 1 - min_position
            )
            if not holds:
                problems.append(
                    f"segment {row.segment_id}: {key} is not true (z {z:.2f}, median at "
                    f"percentile {position:.2f})"
                )
    return problems


# What a supervised model that is told the personas can recover from the
# features the clustering sees: the ceiling an unsupervised fit is judged against.
CEILING_COLUMNS = [
    "order_count", "average_order_value", "recency_days", "days_since_first_order",
    "discount_order_share", "sessions_per_order", "cart_abandonment_rate",
    "mobile_session_share", "has_adopted_app", "open_rate", "mean_days_between_orders",
    "stddev_days_between_orders", "premium_item_share", "category_concentration",
]  # fmt: skip


def supervised_ceiling(features: pd.DataFrame, planted: pd.Series, seed: int = 0) -> float:
    """ARI of 3-fold cross-validated gradient-boosting predictions of the persona from
    the customer features (numbers above plus favourite_category one-hot), over
    customers with an order whose persona is not noise."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    buyers = features[features["order_count"] >= 1].set_index("customer_id")
    labels = planted.reindex(buyers.index)
    keep = labels.notna() & (labels != "noise")
    numbers = buyers[CEILING_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(float)
    categories = pd.get_dummies(buyers["favourite_category"], dtype=float)
    matrix = pd.concat([numbers, categories], axis=1).loc[keep]
    matrix = matrix.loc[:, matrix.nunique() > 1].to_numpy()
    model = HistGradientBoostingClassifier(max_iter=150, random_state=seed)
    predicted = cross_val_predict(model, matrix, labels[keep].to_numpy(), cv=3)
    return float(adjusted_rand_score(labels[keep], predicted))


@cache
def _cluster_model():
    """models/segments/segmentation__cluster_model.py as a module, loaded once."""
    path = ROOT / "models" / "segments" / "segmentation__cluster_model.py"
    loader = importlib.util.spec_from_file_location("cluster_model_for_ceiling", path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def centroid_ceiling(shop: Shop) -> float:
    """ARI of assigning each clustered customer to the nearest TRUE persona mean in the
    cluster model's own feature space (its feature_spec), each dimension weighted by
    1 / its within-persona variance. It uses the truth, so no clustering can expect to
    beat it by much: the reach of nearest-centroid scoring over the model's features."""
    module = _cluster_model()
    spec = json.loads(frame(shop.database, f"select feature_spec from {MODEL} limit 1").iloc[0, 0])
    buyers = frame(shop.database, f"select * from {FEATURES} where order_count >= 1")
    labels = truth(shop).reindex(buyers["customer_id"]).to_numpy().astype(object)
    keep = pd.notna(labels) & (labels != "noise")
    matrix, labels = module.transform(buyers, spec)[keep], labels[keep]
    groups = sorted(set(labels))
    means = np.stack([matrix[labels == g].mean(axis=0) for g in groups])
    within = sum(((matrix[labels == g] - means[i]) ** 2).sum(axis=0) for i, g in enumerate(groups))
    weights = np.sqrt(1 / np.maximum(within / len(matrix), 1e-6))
    distance = (((matrix * weights)[:, None, :] - (means * weights)[None]) ** 2).sum(axis=2)
    return float(adjusted_rand_score(labels, distance.argmin(axis=1)))
