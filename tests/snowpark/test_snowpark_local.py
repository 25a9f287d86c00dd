"""The cluster model under Snowpark local testing (pandas 2) gives the same segments
as the DuckDB build (pandas 3) it is compared with: same k, centroids and transform,
and the same nearest segment for every eligible customer."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import StandInDbt
from snowflake.snowpark import DataFrame
from snowflake.snowpark import functions as F

# Equal up to floating-point noise: the engines' libraries differ in version.
TOLERANCE = 1e-9
# Runs differ in fitted_at; fit_id hashes centroids rounded to 9 decimals, so one
# last-bit difference between library versions may change it (compared separately).
RUN_DEPENDENT = {"fitted_at", "fit_id"}
EXACT = [
    "segment_id", "k", "segment_fit_size", "sample_size", "eligible_customers",
    "eligibility_min_orders", "k_selection", "random_state", "package_version",
    "settings_fingerprint", "run_decision", "refit_reason",
]  # fmt: skip
CLOSE = ["silhouette", "inertia"]


class This:
    """dbt-snowflake's `this`: printed as the quoted, qualified relation name."""

    def __init__(self, session, identifier: str) -> None:
        self.database = session.get_current_database().strip('"')
        self.schema = session.get_current_schema().strip('"')
        self.identifier = identifier

    def __repr__(self) -> str:
        return f'"{self.database}"."{self.schema}"."{self.identifier}"'


def run_model(cluster_model, session, model_config: dict, this: This) -> DataFrame:
    return cluster_model.model(StandInDbt(session, model_config, this), session)


def lower(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=str.lower).sort_values("segment_id").reset_index(drop=True)


def assert_same_fit(snowpark: pd.DataFrame, duckdb: pd.DataFrame) -> None:
    assert set(snowpark.columns) == set(duckdb.columns)
    for column in EXACT:
        assert snowpark[column].astype(str).tolist() == duckdb[column].astype(str).tolist(), column
    for column in CLOSE:
        np.testing.assert_allclose(snowpark[column], duckdb[column], rtol=TOLERANCE, err_msg=column)
    np.testing.assert_allclose(centroids(snowpark), centroids(duckdb), rtol=0, atol=TOLERANCE)
    drifts = [f["drift"].astype(float).fillna(-1).tolist() for f in (snowpark, duckdb)]
    np.testing.assert_allclose(*drifts, rtol=0, atol=TOLERANCE, err_msg="drift")
    assert (snowpark["feature_spec"].nunique(), duckdb["feature_spec"].nunique()) == (1, 1)
    ours, theirs = (json.loads(f["feature_spec"].iloc[0]) for f in (snowpark, duckdb))
    strip = [{k: v for k, v in e.items() if k not in ("center", "scale")} for e in ours]
    assert strip == [{k: v for k, v in e.items() if k not in ("center", "scale")} for e in theirs]
    for key in ("center", "scale"):
        np.testing.assert_allclose(
            [e[key] for e in ours], [e[key] for e in theirs], rtol=TOLERANCE, err_msg=key
        )
    ours_k, theirs_k = (json.loads(f["k_scores"].iloc[0]) for f in (snowpark, duckdb))
    assert ours_k.keys() == theirs_k.keys()
    np.testing.assert_allclose(list(ours_k.values()), list(theirs_k.values()), atol=1e-6)


def centroids(fit: pd.DataFrame) -> np.ndarray:
    return np.stack([json.loads(c) for c in fit["centroid"]])


def nearest_segment(cluster_model, features: pd.DataFrame, fit: pd.DataFrame) -> pd.Series:
    """Every eligible customer's nearest centroid of `fit`, ties to the smaller
    segment_id, as int_segmentation__segment_assignments defines it."""
    fit = fit.sort_values("segment_id")
    eligible = features[features["order_count"] >= fit["eligibility_min_orders"].iloc[0]]
    matrix = cluster_model.transform(eligible, json.loads(fit["feature_spec"].iloc[0]))
    squared = ((matrix[:, None, :] - centroids(fit)[None, :, :]) ** 2).sum(axis=2)
    segment = fit["segment_id"].to_numpy()[squared.argmin(axis=1)]  # first minimum
    return pd.Series(segment, index=eligible["customer_id"].to_numpy()).sort_index()


@pytest.fixture(scope="module")
def first_fit(cluster_model, session, features_table, model_config):
    this = This(session, "SEGMENTATION__CLUSTER_MODEL")
    assert session.table(features_table).count() > 0
    with pytest.raises(Exception, match="does not exist"):
        session.table(repr(this)).count()  # no previous fit: the first run
    result = run_model(cluster_model, session, model_config, this)
    return this, result


def test_to_pandas_keeps_rows(session, features_table, duckdb_tables) -> None:
    """After a filter and a sort every column still belongs to its customer (the
    conftest works around the local-testing to_pandas bug)."""
    table = session.table(features_table)
    frame = table.filter(F.col("ORDER_COUNT") >= 2).sort(F.col("CUSTOMER_ID").desc())
    ours = frame.to_pandas().rename(columns=str.lower).set_index("customer_id").sort_index()
    features = duckdb_tables["features"].set_index("customer_id").sort_index()
    theirs = features[features["order_count"] >= 2]
    assert ours.index.equals(theirs.index)
    for column in ("order_count", "recency_days", "average_order_value", "has_adopted_app"):
        pd.testing.assert_series_equal(
            ours[column].astype(float), theirs[column].astype(float), check_dtype=False
        )


def test_md5_matches_duckdb(session, features_table, duckdb_tables) -> None:
    ours = (
        session.table(features_table)
        .select(F.col("CUSTOMER_ID"), F.md5(F.col("CUSTOMER_ID")).alias("MD5"))
        .to_pandas()
        .set_index("CUSTOMER_ID")["MD5"]
        .sort_index()
    )
    theirs = duckdb_tables["customer_md5"].set_index("customer_id")["customer_id_md5"]
    assert ours.to_dict() == theirs.sort_index().to_dict()


def test_sample_is_duckdbs_sample(cluster_model, session, features_table, duckdb_tables) -> None:
    """A sample smaller than the eligible customers: the same customers, in the same
    order, as DuckDB's `order by md5(customer_id) limit n`."""
    features = duckdb_tables["features"]
    eligible = features.loc[features["order_count"] >= 1, ["customer_id"]]
    order = eligible.merge(duckdb_tables["customer_md5"], on="customer_id")
    expected = order.sort_values("customer_id_md5")["customer_id"].head(500).tolist()
    sample, count = cluster_model.eligible_sample(session.table(features_table), 1, 500)
    assert count == len(eligible)
    assert sample["customer_id"].tolist() == expected


def test_first_fit_equals_duckdb(first_fit, duckdb_tables) -> None:
    _, result = first_fit
    assert isinstance(result, DataFrame)
    assert all(c == c.upper() for c in result.columns), result.columns
    snowpark = lower(result.to_pandas())
    duckdb = lower(duckdb_tables["cluster_model"])
    assert_same_fit(*(f.drop(columns=list(RUN_DEPENDENT)) for f in (snowpark, duckdb)))
    # The refit policy's data time: the same as-of date on both engines (a DATE).
    assert pd.to_datetime(snowpark["fitted_as_of_date"]).tolist() == (
        pd.to_datetime(duckdb["fitted_as_of_date"]).tolist()
    )
    same_id = snowpark["fit_id"].iloc[0] == duckdb["fit_id"].iloc[0]
    deviation = np.abs(centroids(snowpark) - centroids(duckdb)).max()
    print(
        f"\nk={snowpark['k'].iloc[0]}, sample {snowpark['sample_size'].iloc[0]}, "
        f"largest centroid difference {deviation:.1e}, "
        f"fit_id {'equal' if same_id else 'differs'} ({snowpark['fit_id'].iloc[0]})"
    )


def test_assignments_equal_duckdb_sql(first_fit, cluster_model, duckdb_tables) -> None:
    _, result = first_fit
    snowpark = lower(result.to_pandas())
    features = duckdb_tables["features"]
    ours = nearest_segment(cluster_model, features, snowpark)
    sql = duckdb_tables["assignments"].set_index("customer_id")["segment_id"]
    theirs = sql.dropna().astype(int).sort_index()
    assert ours.index.tolist() == theirs.index.tolist()  # the same eligible customers
    identical = (ours.to_numpy() == theirs.to_numpy()).mean()
    print(
        f"\n{len(ours):,} eligible customers compared ({len(features):,} in all, "
        f"{sql.isna().sum():,} ineligible): {identical:.2%} identical segment_id"
    )
    assert len(ours) > 0 and identical == 1.0


def test_second_run_keeps_the_fit(first_fit, cluster_model, session, model_config) -> None:
    """With the previous fit in `this` (saved as dbt-snowflake does) and the same data,
    the refit policy keeps it: its rows come back unchanged through hand_back (same
    fit_id, fitted_at, centroids, the as-of date as a DATE), with drift 0."""
    this, result = first_fit
    first = lower(result.to_pandas())
    assert first["run_decision"].unique().tolist() == ["refit"]
    assert first["refit_reason"].unique().tolist() == ["no_previous_fit"]
    result.write.save_as_table(repr(this), mode="overwrite")
    kept_frame = run_model(cluster_model, session, model_config, this)
    types = {f.name: type(f.datatype).__name__ for f in kept_frame.schema.fields}
    assert types == {f.name: type(f.datatype).__name__ for f in result.schema.fields}
    assert types["FITTED_AS_OF_DATE"] == "DateType"
    kept = lower(kept_frame.to_pandas())
    assert kept["run_decision"].unique().tolist() == ["kept"]
    assert kept["refit_reason"].isna().all()
    assert np.abs(kept["drift"].to_numpy()).max() < 1e-9
    fit_columns = list(cluster_model.FIT_COLUMNS)
    pd.testing.assert_frame_equal(
        kept[fit_columns].astype(str), first[fit_columns].astype(str), check_dtype=False
    )


def test_refit_follows_ids(first_fit, cluster_model, session, model_config) -> None:
    """A forced refit (segmentation__refit: true) matches ids to the previous fit: the
    same ids for the same data, and renamed ids when the previous fit used other ids
    for the same centroids."""
    this, result = first_fit
    first = lower(result.to_pandas())
    forced = {**model_config, "refit": "True"}
    result.write.save_as_table(repr(this), mode="overwrite")
    again = lower(run_model(cluster_model, session, forced, this).to_pandas())
    assert again["refit_reason"].unique().tolist() == ["forced"]
    assert again["segment_id"].tolist() == first["segment_id"].tolist()
    np.testing.assert_array_equal(centroids(again), centroids(first))

    previous = result.with_column("SEGMENT_ID", F.lit(100) - F.col("SEGMENT_ID"))
    previous.write.save_as_table(repr(this), mode="overwrite")
    followed = run_model(cluster_model, session, forced, this).to_pandas()
    expected = {c: 100 - s for c, s in zip(first["centroid"], first["segment_id"], strict=True)}
    assert dict(zip(followed["CENTROID"], followed["SEGMENT_ID"], strict=True)) == expected


def test_previous_fit_absent_or_unreadable(first_fit, cluster_model, session) -> None:
    """No table: a first fit (None). A table that is not this model's fit stops the
    build with a `segmentation:` message naming the relation and the cause."""
    assert cluster_model.read_previous(session, This(session, "NO_SUCH_FIT")) is None
    this = This(session, "NOT_A_FIT")
    session.create_dataframe([[1]], schema=["SEGMENT_ID"]).write.save_as_table(
        repr(this), mode="overwrite"
    )
    with pytest.raises(cluster_model.PreviousFitError) as raised:
        cluster_model.read_previous(session, this)
    message = str(raised.value)
    assert message.startswith(f"segmentation: cannot read the previous fit {this!r}")
    assert "no column fit_id" in message
