"""The benchmark's baselines compute what the package computes (scripts/bench_scale.py):
on the shared 600-customer build, the notebook's features and segments equal the
package's, and the hand-written SQL's (which does not validate) agree on nearly
every customer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, frame, load_module

BASELINES = ROOT / "scripts" / "baselines"
COLUMNS = [
    "order_count", "average_order_value", "recency_days", "days_since_first_order",
    "discount_sensitivity", "cart_abandonment_rate", "mobile_session_share", "open_rate",
    "lifecycle_stage", "favourite_category", "primary_device_type", "price_tier_preference",
    "r_score", "rfm_segment",
]  # fmt: skip


@pytest.fixture(scope="module")
def package(built) -> pd.DataFrame:
    database, run = built
    assert run.success, run.messages()
    features = frame(
        database,
        "select f.*, a.segment_id from main_segmentation.segmentation__customer_features f "
        "left join main_segmentation_intermediate.int_segmentation__segment_assignments a "
        "using (customer_id)",
    )
    return features.set_index("customer_id").sort_index()


def baseline(name: str, data_dir: Path, out: Path) -> tuple[dict, pd.DataFrame]:
    module = load_module(BASELINES / f"{name}.py", f"bench_{name}")
    summary = module.run(data_dir, out)
    return summary, pd.read_parquet(out).set_index("customer_id").sort_index()


def matches(left: pd.Series, right: pd.Series) -> pd.Series:
    """Row-wise equality: numbers within 1e-9 (relative), text exactly, nulls equal."""
    both_null = left.isna().to_numpy() & right.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(left) and pd.api.types.is_numeric_dtype(right):
        a = left.astype("float64").to_numpy(na_value=np.nan)
        b = right.astype("float64").to_numpy(na_value=np.nan)
        return pd.Series(both_null | np.isclose(a, b, rtol=1e-9, atol=1e-9), index=left.index)
    same = left.astype("object").to_numpy() == right.astype("object").to_numpy()
    return pd.Series(both_null | same, index=left.index)


def test_notebook_equals_the_package(package, generated_inputs, tmp_path) -> None:
    summary, notebook = baseline("notebook_pandas", generated_inputs.data_dir, tmp_path / "nb.pq")
    assert notebook.index.equals(package.index)
    for column in COLUMNS:
        assert matches(notebook[column], package[column]).all(), column
    # The same fit: the same segment sizes (ids may be numbered alike too).
    sizes = sorted(package["segment_id"].value_counts().tolist())
    assert summary["segment_sizes"] == sizes
    assert summary["rejected_rows"] > 0


def test_handwritten_sql_agrees_with_the_package(package, generated_inputs, tmp_path) -> None:
    summary, sql = baseline("handwritten_duckdb", generated_inputs.data_dir, tmp_path / "sql.pq")
    assert summary["validation"] == "none"
    shared = package.index.intersection(sql.index)
    # Without validation a few planted bad customers stay in; nothing real is missing.
    assert len(shared) == len(package)
    for column in COLUMNS:
        agree = matches(sql.loc[shared, column], package.loc[shared, column])
        # Planted duplicate and negative orders stay in for one or two customers.
        assert agree.mean() >= 0.99, (column, agree.mean())
    assert summary["k"] == int(package["segment_id"].nunique())
