"""Plain functions of the cluster model, loaded from the model file."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from test_clustering import load_model_module

cm = load_model_module()


def test_segment_ids_follow_the_previous_centroids() -> None:
    previous = {7: np.array([0.0, 0.0]), 3: np.array([10.0, 0.0]), 5: np.array([0.0, 10.0])}
    new = np.array([[9.5, 0.2], [0.1, 9.8], [0.2, -0.1]])
    assert cm.match_segment_ids(new, previous) == [3, 5, 7]


def test_extra_segments_get_new_ids_and_missing_ones_retire() -> None:
    previous = {1: np.array([0.0]), 2: np.array([10.0])}
    assert cm.match_segment_ids(np.array([[0.2], [5.0], [9.9]]), previous) == [1, 3, 2]
    assert cm.match_segment_ids(np.array([[9.0]]), previous) == [2]
    assert cm.match_segment_ids(np.array([[1.0], [2.0]]), None) == [1, 2]


def test_previous_fit_with_other_features_is_not_matched() -> None:
    spec = [{"column": "a", "transform": "log1p", "center": 0, "scale": 1}]
    other = pd.DataFrame(
        {
            "segment_id": [1],
            "centroid": ["[0.5]"],
            "feature_spec": ['[{"column": "b", "transform": "log1p", "center": 0, "scale": 1}]'],
        }
    )
    assert cm.previous_centroids(other, spec) is None


def test_transform_handles_nulls_logs_and_indicators() -> None:
    frame = pd.DataFrame(
        {"spend": [0.0, np.e - 1, None], "app": [True, False, None], "share": [0.5, None, 1.0]}
    )
    spec = [
        {"column": "spend", "transform": "log1p", "center": 0.0, "scale": 2.0},
        {"column": "app", "transform": "indicator", "value": True, "center": 0.5, "scale": 0.5},
        {"column": "share", "transform": "identity", "center": 0.5, "scale": 0.25},
    ]
    expected = np.array([[0.0, 1.0, 0.0], [0.5, -1.0, 0.0], [0.0, -1.0, 2.0]])
    assert np.allclose(cm.transform(frame, spec), expected)


def test_settings_are_validated_with_clear_messages() -> None:
    assert cm.read_settings({"cluster_k": "None"})["cluster_k"] is None
    assert cm.read_settings({"cluster_k": "6"})["cluster_k"] == 6
    with pytest.raises(ValueError, match="cluster_scaling"):
        cm.read_settings({"cluster_scaling": "minmax"})
    with pytest.raises(ValueError, match="unknown transform"):
        cm.read_settings({"cluster_features": [{"column": "x", "transform": "sqrt"}]})
    with pytest.raises(ValueError, match="not a column"):
        cm.fit_transform_spec(pd.DataFrame({"a": [1]}), [{"column": "b"}], "robust")


def test_fixed_k_is_used_and_fits_are_deterministic() -> None:
    rng = np.random.default_rng(0)
    sample = pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(300)],
            "x": np.r_[rng.normal(0, 1, 100), rng.normal(8, 1, 100), rng.normal(16, 1, 100)],
        }
    )
    settings = cm.read_settings({"cluster_features": [{"column": "x"}], "cluster_k": 3})
    first = cm.fit_model(sample, 300, settings, None)
    second = cm.fit_model(sample.sample(frac=1, random_state=1), 300, settings, None)
    assert list(first["k"]) == [3, 3, 3]
    columns = [c for c in first.columns if c != "fitted_at"]
    pd.testing.assert_frame_equal(first[columns], second[columns])
    automatic = cm.fit_model(
        sample, 300, cm.read_settings({"cluster_features": [{"column": "x"}]}), None
    )
    assert automatic["k"].iloc[0] == 3


def _blobs(sizes: list[int], centres: list[float], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.normal([c, 0.0], 0.5, size=(n, 2)) for n, c in zip(sizes, centres, strict=True)]
    )


def test_onehot_expands_frequent_values_into_indicators() -> None:
    frame = pd.DataFrame({"fav": ["toys"] * 50 + ["books"] * 30 + ["rare"] + [None] * 19})
    spec = cm.fit_transform_spec(frame, [{"column": "fav", "transform": "onehot"}], "robust")
    assert [(e["transform"], e["value"]) for e in spec] == [
        ("indicator", "toys"),
        ("indicator", "books"),
    ]  # 'rare' holds 1 % of the sample, below min_share
    matrix = cm.transform(frame, spec)
    assert matrix.shape == (100, 2) and len(np.unique(matrix[:, 0])) == 2


def test_k_is_only_chosen_among_fits_that_meet_the_gates() -> None:
    # Three groups, one of them 1 % of customers: a fit that isolates it breaks min_share.
    matrix = _blobs([600, 390, 10], [0.0, 8.0, 30.0])
    settings = cm.read_settings({"cluster_k_min": 2, "cluster_k_max": 4})
    assert cm.meets_gates(np.repeat([0, 1, 2], [600, 390, 10]), 3, 1000, settings) is False
    k, scores, _ = cm.choose_k(matrix, settings, eligible=1000)
    assert set(scores) == {2, 3, 4} and k == 2
    loose = cm.read_settings({"cluster_k_min": 2, "cluster_k_max": 4, "cluster_min_share": 0.005})
    assert cm.choose_k(matrix, loose, eligible=1000)[0] == 3


def test_prediction_strength_is_high_for_real_groups_and_low_for_a_split_blob() -> None:
    settings = cm.read_settings({})
    matrix = _blobs([300, 300, 300], [0.0, 10.0, 20.0])
    assert cm.prediction_strength(matrix, 3, settings) > 0.95
    assert cm.prediction_strength(_blobs([900], [0.0]), 5, settings) < 0.8
    chosen = cm.read_settings({"cluster_k_method": "prediction_strength"})
    assert cm.choose_k(matrix, chosen, eligible=900)[0] == 3


def test_selection_sample_is_bounded_and_seeded() -> None:
    settings = cm.read_settings({"cluster_selection_sample": 100})
    rows = cm.selection_rows(1000, settings)
    assert len(rows) == 100 and (np.diff(rows) > 0).all()
    assert (cm.selection_rows(1000, settings) == rows).all()
    assert len(cm.selection_rows(50, settings)) == 50


class _This:
    """dbt's `this` in a Python model: database, schema, identifier; printed quoted."""

    def __init__(self, identifier: str, schema: str = "main", database: str = "memory") -> None:
        self.database, self.schema, self.identifier = database, schema, identifier

    def __repr__(self) -> str:
        return f'"{self.database}"."{self.schema}"."{self.identifier}"'


def _previous_fit(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    sample = pd.DataFrame({"customer_id": [f"C{i}" for i in range(40)], "x": range(40)})
    settings = cm.read_settings({"cluster_features": [{"column": "x"}], "cluster_k": 2})
    fit = cm.fit_model(sample, 40, settings, None)
    con.register("fit_frame", fit)
    con.execute("create table main.cluster_model as select * from fit_frame")
    return fit


def test_no_previous_table_is_a_first_fit() -> None:
    with duckdb.connect() as con:
        assert cm.read_previous(con, _This("cluster_model")) is None
        fit = _previous_fit(con)
        previous = cm.read_previous(con, _This("CLUSTER_MODEL"))  # names compare case-blind
        assert previous["segment_id"].tolist() == fit["segment_id"].tolist()


@pytest.mark.parametrize(
    ("break_it", "cause"),
    [
        # A view whose table is gone: the relation exists, reading it fails.
        (
            "create table main.gone as select 1 as segment_id; "
            "create view main.cluster_model as select * from main.gone; drop table main.gone",
            "CatalogException",
        ),
        ("create table main.cluster_model as select 1 as segment_id", "no column fit_id"),
        (
            "create table main.cluster_model (segment_id int, fit_id text, centroid text, "
            "feature_spec text)",
            "it has no rows",
        ),
        (
            "create table main.cluster_model as select 1 as segment_id, 'f' as fit_id, "
            "'[0.1, ' as centroid, '[]' as feature_spec",
            "not JSON",
        ),
    ],
)
def test_a_previous_fit_that_cannot_be_read_stops_the_build(break_it: str, cause: str) -> None:
    with duckdb.connect() as con:
        con.execute(break_it)
        with pytest.raises(cm.PreviousFitError) as raised:
            cm.read_previous(con, _This("cluster_model"))
    message = str(raised.value)
    assert message.startswith('segmentation: cannot read the previous fit "memory"."main".')
    assert cause in message and "renumber" in message


def test_any_other_read_error_stops_the_build() -> None:
    class Failing:
        def execute(self, *args, **kwargs):
            raise OSError("disk I/O error")

    with pytest.raises(cm.PreviousFitError, match=r"OSError: disk I/O error"):
        cm.read_previous(Failing(), _This("cluster_model"))
