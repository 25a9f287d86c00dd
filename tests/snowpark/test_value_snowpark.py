"""The value fit (segmentation__value_fit) under Snowpark local testing (pandas 2, numpy 1.26,
scipy 1.13) gives the DuckDB build's parameters (pandas 3, numpy 2, scipy 1.17) to 1e-9: the
same warehouse-drawn sample, and an optimum polished by Newton steps on the analytic gradient,
which does not depend on the optimizer's path or version (docs/decisions/0022)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import ROOT, StandInDbt, _render, _snowpark_type
from snowflake.snowpark import types as T

MODEL_FILE = ROOT / "models" / "segments" / "segmentation__value_fit.py"
SUMMARY_TABLE = "INT_SEGMENTATION__VALUE_SUMMARY"  # what the model refs
TOLERANCE = 1e-9
PARAMETERS = ["r", "alpha", "a", "b", "p", "q", "gamma"]
CLOSE = [*PARAMETERS, "bgnbd_log_likelihood", "gamma_gamma_log_likelihood"]
EXACT = [
    "fit_scope", "bgnbd_status", "gamma_gamma_status", "bgnbd_customers", "gamma_gamma_customers",
    "gamma_gamma_excluded_customers", "sample_size", "eligible_customers", "period_days",
    "max_fit_rows", "package_version", "settings_fingerprint", "run_decision", "refit_reason",
]  # fmt: skip


@pytest.fixture(scope="module")
def value_fit():
    spec = importlib.util.spec_from_file_location("value_fit", MODEL_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def value_config() -> dict:
    document = yaml.safe_load((ROOT / "models" / "segments" / "_segments__models.yml").read_text())
    [node] = [m for m in document["models"] if m["name"] == "segmentation__value_fit"]
    return {key: _render(value) for key, value in node["config"].items()}


@pytest.fixture(scope="module")
def summary_table(session, fixture_dir) -> str:
    """int_segmentation__value_summary as dbt-snowflake would have built it (upper case)."""
    table = pq.read_table(fixture_dir / "value_summary.parquet")
    schema = T.StructType(
        [T.StructField(f.name.upper(), _snowpark_type(f.type)) for f in table.schema]
    )
    rows = [list(row.values()) for row in table.to_pylist()]
    session.create_dataframe(rows, schema).write.save_as_table(SUMMARY_TABLE, mode="overwrite")
    return SUMMARY_TABLE


def test_value_fit_equals_duckdb(value_fit, value_config, session, summary_table, duckdb_tables):
    assert value_config["value_period_days"] == "week"
    result = value_fit.model(StandInDbt(session, value_config, "SEGMENTATION__VALUE_FIT"), session)
    ours = (
        result.to_pandas().rename(columns=str.lower).sort_values("fit_scope").reset_index(drop=True)
    )
    theirs = duckdb_tables["value_fit"].sort_values("fit_scope").reset_index(drop=True)
    assert set(ours.columns) == set(theirs.columns)
    assert ours["fit_scope"].tolist() == ["calibration", "full"]
    assert (ours["bgnbd_status"] == "fitted").all() and (
        ours["gamma_gamma_status"] == "fitted"
    ).all()
    for column in EXACT:
        assert ours[column].astype(str).tolist() == theirs[column].astype(str).tolist(), column
    for column in CLOSE:
        np.testing.assert_allclose(
            ours[column].astype(float), theirs[column].astype(float), rtol=TOLERANCE, atol=0,
            err_msg=column,
        )  # fmt: skip
    for column in ("fitted_as_of_date", "fitted_through_date"):
        assert pd.to_datetime(ours[column]).tolist() == pd.to_datetime(theirs[column]).tolist()
    worst = max(
        float(np.max(np.abs(ours[c].astype(float) / theirs[c].astype(float) - 1)))
        for c in PARAMETERS
    )
    print(f"largest relative parameter difference, Snowpark vs DuckDB: {worst:.1e}")


def test_value_fit_kept_on_the_next_run(value_fit, value_config, session, summary_table) -> None:
    """The refit policy under Snowpark: with its own table as the previous fit and the same
    as-of date, the next run hands the rows back unchanged (same fit_id, parameters,
    fitted_at, dates as DATE) and records 'kept'; refit: true fits again."""
    this = "SEGMENTATION__VALUE_FIT_KEPT"
    first = value_fit.model(StandInDbt(session, value_config, this), session)
    first.write.save_as_table(this, mode="overwrite")
    kept_frame = value_fit.model(StandInDbt(session, value_config, this), session)
    types = {f.name: type(f.datatype).__name__ for f in kept_frame.schema.fields}
    assert types == {f.name: type(f.datatype).__name__ for f in first.schema.fields}
    assert types["FITTED_AS_OF_DATE"] == types["FITTED_THROUGH_DATE"] == "DateType"
    ours, theirs = (
        f.to_pandas().rename(columns=str.lower).sort_values("fit_scope").reset_index(drop=True)
        for f in (kept_frame, first)
    )
    assert ours["run_decision"].tolist() == ["kept", "kept"]
    assert theirs["run_decision"].tolist() == ["refit", "refit"]
    columns = list(value_fit.FIT_COLUMNS)
    assert ours[columns].astype(str).equals(theirs[columns].astype(str))
    forced = {**value_config, "refit": "True"}
    again = value_fit.model(StandInDbt(session, forced, this), session).to_pandas()
    assert again["REFIT_REASON"].tolist() == ["forced", "forced"]
