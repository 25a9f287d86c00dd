"""What both baselines share with the package: the cluster model's own functions
(loaded from the model file, so the fit is the same code), its default settings,
the fit-sample rule, and the summary the benchmark compares across contenders."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE = ROOT / "models" / "segments" / "segmentation__cluster_model.py"
# Means the benchmark compares between contenders (a fast baseline must not do less).
SUMMARY_FEATURES = (
    "order_count", "average_order_value", "recency_days", "days_since_first_order",
    "sessions_per_order", "mobile_session_share", "open_rate", "discount_sensitivity",
)  # fmt: skip


@cache
def cluster_model() -> ModuleType:
    """models/segments/segmentation__cluster_model.py as a module."""
    spec = importlib.util.spec_from_file_location("segmentation_cluster_model", MODEL_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def settings() -> dict:
    """The model's defaults: the same ten features, robust scaling, k 3-10 by silhouette
    on a seeded 10k selection sample with 3 inits, at most 200k fit rows."""
    return cluster_model().read_settings({})


def fit_sample(features: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """The eligible customers (at least one order), or the first `max_rows` of them by
    md5(customer_id) as the package draws its sample (hex digests order alike)."""
    if len(features) <= max_rows:
        return features
    digests = np.array([hashlib.md5(c.encode()).hexdigest() for c in features["customer_id"]])
    return features.iloc[np.argsort(digests, kind="stable")[:max_rows]]


def fit(eligible: pd.DataFrame, count: int | None = None) -> pd.DataFrame:
    """The fitted model table (one row per segment), exactly as the package fits it, from
    the eligible customers (or their sample already drawn, and `count` of them in all)."""
    config = settings()
    sample = fit_sample(eligible, config["cluster_max_fit_rows"])
    count = len(eligible) if count is None else count
    return cluster_model().fit_model(sample.copy(), count, config, None)


def fitted_spec(fitted: pd.DataFrame) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """(feature spec, centroids in segment_id order, segment ids) of a fitted model table."""
    fitted = fitted.sort_values("segment_id")
    spec = json.loads(fitted["feature_spec"].iloc[0])
    centroids = np.array([json.loads(c) for c in fitted["centroid"]])
    return spec, centroids, fitted["segment_id"].to_numpy()


def summary(
    features: pd.DataFrame, segments: pd.Series, orders: int, fitted: pd.DataFrame, **extra
) -> dict:
    """What the benchmark checks across contenders."""
    result = {
        "customers": len(features),
        "orders": int(orders),
        "eligible_customers": int((features["order_count"] >= 1).sum()),
        "k": int(fitted["k"].iloc[0]),
        "segment_sizes": sorted(int(v) for v in segments.value_counts().to_numpy()),
        "means": {
            column: float(pd.to_numeric(features[column], errors="coerce").astype(float).mean())
            for column in SUMMARY_FEATURES
        },
    }
    return {**result, **extra}
