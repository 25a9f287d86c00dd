"""Fit the customer clustering; the fitted model is a small table.

One row per segment: its centroid in the transformed feature space, the
transform SQL needs to reproduce (per feature: column, kind, centre, scale),
and the run's metadata. Assigning every customer is SQL
(`int_segmentation__segment_assignments`), so Python only ever holds a bounded,
deterministic sample of the eligible customers.

Refit policy (docs/decisions/0023): a build refits only when there is no previous
fit, when the settings that define the model changed (their fingerprint), when the
var segmentation__refit forces it, when the as-of date moved refit_every_days or more
since the fit's, or when the drift passes refit_drift. Otherwise it hands back the
previous fit's rows unchanged (same fit_id, fitted_at, centroids), so segments stay
exactly stable. The decision is a pure function of the data, the vars and the
previous fit: neither the wall clock nor --full-refresh enters it.

All logic is in plain functions below so that pytest can load this file and a
Snowflake stored procedure (which ships only this file) can run it. The model
accepts a DuckDB relation or a Snowpark DataFrame and works on pandas 2 and 3.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd

# dbt_project.yml `version:` is the source; a Snowflake stored procedure cannot read it, so
# tests/python/test_package_release.py checks that the two agree.
PACKAGE_VERSION = "0.2.0"

# Features used when the model config names none: chosen to separate the
# behaviours that matter for marketing (spend, frequency, recency, discounts,
# devices, browsing). `log1p` for skewed money and counts.
DEFAULT_FEATURES = [
    {"column": "order_count", "transform": "log1p"},
    {"column": "average_order_value", "transform": "log1p"},
    {"column": "recency_days", "transform": "log1p"},
    {"column": "days_since_first_order", "transform": "log1p"},
    {"column": "discount_order_share", "transform": "identity"},
    {"column": "sessions_per_order", "transform": "log1p"},
    {"column": "cart_abandonment_rate", "transform": "identity"},
    {"column": "mobile_session_share", "transform": "identity"},
    {"column": "has_adopted_app", "transform": "indicator", "value": True},
    {"column": "open_rate", "transform": "identity"},
]

# identity, log1p and indicator give one model dimension each; onehot expands a
# text column into indicator dimensions for its most frequent values in the fit sample.
TRANSFORMS = ("identity", "log1p", "indicator", "onehot")
ONEHOT_MAX_LEVELS = 8
ONEHOT_MIN_SHARE = 0.02

DEFAULTS = {
    "cluster_features": DEFAULT_FEATURES,
    "cluster_scaling": "robust",
    "cluster_k": None,
    "cluster_k_min": 3,
    "cluster_k_max": 10,
    "cluster_max_fit_rows": 200_000,
    "cluster_silhouette_sample": 4_000,
    "cluster_random_state": 42,
    "cluster_n_init": 10,
    "cluster_n_init_selection": 3,
    "cluster_selection_sample": 10_000,
    "cluster_k_method": "silhouette",
    "cluster_prediction_strength": 0.8,
    "cluster_eligible_min_orders": 1,
    "cluster_min_share": 0.02,
    "cluster_max_share": 0.8,
    "cluster_min_customers": 10,
}
K_METHODS = ("silhouette", "prediction_strength")

# The refit policy's vars (segmentation__refit, __refit_every_days, __refit_drift).
POLICY_DEFAULTS = {"refit": None, "refit_every_days": 7, "refit_drift": 0.25}
# Why a build refitted, in the order they are checked (refit_decision).
REFIT_REASONS = ("no_previous_fit", "settings_changed", "forced", "schedule", "drift")
# The columns of this model's table, in order: the fit's, then the run's decision.
FIT_COLUMNS = (
    "segment_id", "fit_id", "k", "centroid", "feature_spec", "segment_fit_size", "sample_size",
    "eligible_customers", "eligibility_min_orders", "silhouette", "inertia", "k_selection",
    "k_scores", "random_state", "package_version", "settings_fingerprint", "fitted_as_of_date",
    "fitted_at",
)  # fmt: skip
RUN_COLUMNS = ("run_decision", "refit_reason", "drift")


# --- configuration ----------------------------------------------------------


def _optional_int(value: object) -> int | None:
    """Config values rendered from vars arrive as text; '', 'None' and null mean unset."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null")):
        return None
    return int(value)  # type: ignore[arg-type]


def read_settings(configured: dict) -> dict:
    """The model's hyperparameters (from `dbt.config.get`), with defaults; validated."""
    settings = {}
    for key, default in DEFAULTS.items():
        value = configured.get(key)
        settings[key] = default if value is None else value
    if isinstance(settings["cluster_features"], str):
        settings["cluster_features"] = json.loads(settings["cluster_features"])
    settings["cluster_k"] = _optional_int(settings["cluster_k"])
    for key in ("cluster_k_min", "cluster_k_max", "cluster_max_fit_rows",
                "cluster_silhouette_sample", "cluster_random_state", "cluster_n_init",
                "cluster_n_init_selection", "cluster_selection_sample",
                "cluster_eligible_min_orders", "cluster_min_customers"):  # fmt: skip
        settings[key] = int(settings[key])
    for key in ("cluster_min_share", "cluster_max_share", "cluster_prediction_strength"):
        settings[key] = float(settings[key])
    if settings["cluster_k_method"] not in K_METHODS:
        raise ValueError(
            f"segmentation: cluster_k_method must be one of {', '.join(K_METHODS)}, "
            f"got {settings['cluster_k_method']!r} (var segmentation__cluster_k_method)"
        )
    if settings["cluster_scaling"] not in ("robust", "standard"):
        raise ValueError(
            f"segmentation: cluster_scaling must be 'robust' or 'standard', "
            f"got {settings['cluster_scaling']!r}"
        )
    if not 2 <= settings["cluster_k_min"] <= settings["cluster_k_max"]:
        raise ValueError("segmentation: need 2 <= cluster_k_min <= cluster_k_max")
    for feature in settings["cluster_features"]:
        if feature.get("transform", "identity") not in TRANSFORMS:
            raise ValueError(
                f"segmentation: feature {feature.get('column')!r} has unknown transform "
                f"{feature.get('transform')!r}; use one of {', '.join(TRANSFORMS)}"
            )
    return settings


def _optional_bool(value: object, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "none", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"segmentation: {name} must be true, false or null, got {value!r}")


def read_policy(configured: dict) -> dict:
    """The refit policy (from `dbt.config.get`): refit (null = follow the policy, true =
    refit this build, false = never refit while a comparable previous fit exists),
    refit_every_days (null = no schedule, 0 = every build) and refit_drift (null = no
    drift trigger). Vars are validated in macros/utils/setting.sql; checked again here."""
    policy = {"refit": _optional_bool(configured.get("refit"), "refit")}
    every = configured.get("refit_every_days", POLICY_DEFAULTS["refit_every_days"])
    drift = configured.get("refit_drift", POLICY_DEFAULTS["refit_drift"])
    policy["refit_every_days"] = _optional_int(every)
    unset = drift is None or (
        isinstance(drift, str) and drift.strip().lower() in ("", "none", "null")
    )
    policy["refit_drift"] = None if unset else float(drift)  # type: ignore[arg-type]
    if policy["refit_every_days"] is not None and policy["refit_every_days"] < 0:
        raise ValueError("segmentation: refit_every_days must be at least 0 or null")
    if policy["refit_drift"] is not None and not policy["refit_drift"] >= 0:
        raise ValueError("segmentation: refit_drift must be at least 0 or null")
    return policy


def settings_fingerprint(settings: dict) -> str:
    """A hash of everything that defines the fit: every hyperparameter of the model
    (features and transforms, scaling, k settings and method, sample sizes, minimum
    orders, random state, the gate bounds automatic k respects) and the package
    version. A previous fit with another fingerprint is refitted ('settings_changed')."""
    payload = {key: settings[key] for key in DEFAULTS}
    payload["package_version"] = PACKAGE_VERSION
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


# --- refit policy ------------------------------------------------------------


def _as_date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _first(previous: pd.DataFrame, column: str) -> object:
    return previous[column].iloc[0] if column in previous.columns else None


def fit_drift(sample: pd.DataFrame, previous: pd.DataFrame) -> float | None:
    """How much looser the previous fit is on today's data: the mean squared distance of
    the sample (the eligible customers' bounded md5 sample, as for a fit) to its nearest
    centroid in the fit's own transformed space (its stored centres and scales), divided
    by the fit's inertia per fitted row, minus 1. 0: as tight as at the fit; 0.25: a
    quarter looser. None when it cannot be measured (no sample, no inertia)."""
    inertia, fitted_rows = _first(previous, "inertia"), _first(previous, "sample_size")
    if sample.empty or inertia is None or fitted_rows is None or pd.isna(inertia):
        return None
    per_row = float(inertia) / float(fitted_rows)
    if not per_row > 0:
        return None
    sample = sample.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    matrix = transform(sample, json.loads(previous["feature_spec"].iloc[0]))
    nearest = np.full(len(matrix), np.inf)
    for centroid in previous["centroid"]:
        distance = ((matrix - np.asarray(json.loads(centroid), dtype=float)) ** 2).sum(axis=1)
        nearest = np.minimum(nearest, distance)
    return round(float(nearest.mean()) / per_row - 1.0, 9) + 0.0  # no -0.0


def refit_decision(
    previous: pd.DataFrame | None,
    fingerprint: str,
    as_of_date: dt.date | None,
    drift: float | None,
    policy: dict,
) -> str | None:
    """Why this build refits (one of REFIT_REASONS, checked in that order), or None to
    keep the previous fit. A pure function of the previous fit, the settings, the
    as-of date (data time) and the drift: no clock, no --full-refresh.

    - no previous fit: refit;
    - the settings fingerprint differs (features, transforms, scaling, k, min orders,
      random state, package version): refit, even with refit false (the table would
      otherwise describe a model the config no longer names);
    - refit true: refit ('forced'); refit false: keep;
    - the as-of date is refit_every_days or more after the fit's, or before it (the
      fit saw data after the as-of date): refit ('schedule');
    - drift above refit_drift: refit ('drift');
    - else keep."""
    if previous is None:
        return "no_previous_fit"
    if _first(previous, "settings_fingerprint") != fingerprint:
        return "settings_changed"
    if policy.get("refit") is True:
        return "forced"
    if policy.get("refit") is False:
        return None
    every = policy.get("refit_every_days")
    fitted = _as_date(_first(previous, "fitted_as_of_date"))
    if every is not None:
        if fitted is None or as_of_date is None:
            return "schedule"
        days = (as_of_date - fitted).days
        if days < 0 or days >= every:
            return "schedule"
    threshold = policy.get("refit_drift")
    if threshold is not None and drift is not None and drift > threshold:
        return "drift"
    return None


def with_run(fit: pd.DataFrame, reason: str | None, drift: float | None) -> pd.DataFrame:
    """The fit's rows in FIT_COLUMNS order with this run's decision; typed so that a
    kept fit and a new one give the table the same column types on both engines."""
    frame = fit.loc[:, list(FIT_COLUMNS)].copy()
    frame["fitted_as_of_date"] = [_as_date(v) for v in frame["fitted_as_of_date"]]
    frame["fitted_at"] = pd.to_datetime(frame["fitted_at"]).astype("datetime64[us]")
    frame["run_decision"] = pd.Series("kept" if reason is None else "refit", index=frame.index)
    frame["refit_reason"] = pd.Series([reason] * len(frame), index=frame.index, dtype="string")
    frame["drift"] = pd.Series([drift] * len(frame), index=frame.index, dtype="float64")
    return frame.sort_values("segment_id").reset_index(drop=True)


def decide_and_fit(
    sample: pd.DataFrame,
    eligible: int,
    settings: dict,
    policy: dict,
    previous: pd.DataFrame | None,
    as_of_date: dt.date | None,
) -> pd.DataFrame:
    """The refit policy around fit_model: the previous fit's rows unchanged when the
    policy keeps it, else a new fit (ids matched to the previous one as before)."""
    fingerprint = settings_fingerprint(settings)
    comparable = previous is not None and _first(previous, "settings_fingerprint") == fingerprint
    drift = fit_drift(sample, previous) if comparable else None
    reason = refit_decision(previous, fingerprint, as_of_date, drift, policy)
    if reason is None:
        return with_run(previous, None, drift)
    fit = fit_model(sample, eligible, settings, previous)
    fit["settings_fingerprint"] = fingerprint
    fit["fitted_as_of_date"] = as_of_date
    return with_run(fit, reason, drift)


# --- engine adapters: DuckDB relation or Snowpark DataFrame -----------------


def is_snowpark(frame: object) -> bool:
    return type(frame).__module__.startswith("snowflake.snowpark")


def eligible_sample(features, min_orders: int, max_rows: int) -> tuple[pd.DataFrame, int]:
    """The eligible customers (at least `min_orders` orders) and a deterministic sample
    of at most `max_rows` of them, ordered by md5(customer_id): the lower-case hex
    digest on both engines, so both draw the same sample. The sampling runs in the
    warehouse, so only the sample reaches Python."""
    if is_snowpark(features):
        from snowflake.snowpark import functions as F

        column = {c.lower(): c for c in features.columns}
        eligible = features.filter(F.col(column["order_count"]) >= min_orders)
        count = eligible.count()
        sample = eligible.sort(F.md5(F.col(column["customer_id"]))).limit(max_rows).to_pandas()
    else:
        eligible = features.filter(f"order_count >= {int(min_orders)}")
        count = int(eligible.aggregate("count(*)").fetchall()[0][0])
        sample = eligible.order("md5(customer_id)").limit(max_rows).df()
    sample.columns = [str(c).lower() for c in sample.columns]
    return sample, count


def as_of_date(features) -> dt.date | None:
    """The as-of date of the features (int_segmentation__as_of's, on every row): data
    time, so the schedule does not depend on when the build runs."""
    if is_snowpark(features):
        from snowflake.snowpark import functions as F

        column = {c.lower(): c for c in features.columns}
        [row] = features.agg(F.max(F.col(column["as_of_date"]))).collect()
        return _as_date(row[0])
    return _as_date(features.aggregate("max(as_of_date)").fetchall()[0][0])


# The columns of this model's table that matching the next fit reads.
PREVIOUS_FIT_COLUMNS = ("segment_id", "fit_id", "centroid", "feature_spec")
# Snowflake's error for an object that does not exist (or that the role cannot see).
SNOWFLAKE_DOES_NOT_EXIST = 2003


class PreviousFitError(RuntimeError):
    """The previous fit exists but cannot be used: the build stops."""

    def __init__(self, this, cause: str) -> None:
        super().__init__(
            f"segmentation: cannot read the previous fit {this!r}: {cause}. The build stops "
            "rather than renumber every segment; fix or restore that table, or drop it to "
            "start segment ids afresh (docs/decisions/0015)"
        )


def previous_fit_exists(session, this) -> bool:
    """Whether this model's table exists (DuckDB: its information schema).
    Snowpark asks in read_previous, through session.table."""
    [(count,)] = session.execute(
        "select count(*) from information_schema.tables where lower(table_catalog) = lower(?) "
        "and lower(table_schema) = lower(?) and lower(table_name) = lower(?)",
        [this.database, this.schema, this.identifier],
    ).fetchall()
    return count > 0


def _snowpark_previous(session, this) -> pd.DataFrame | None:
    from snowflake.snowpark.exceptions import SnowparkSQLException

    try:
        return session.table(repr(this)).to_pandas()
    except SnowparkSQLException as error:
        code = getattr(error, "sql_error_code", None)
        missing = code == SNOWFLAKE_DOES_NOT_EXIST or (
            code is None and "does not exist" in str(error)  # local testing gives no code
        )
        if missing:
            return None
        raise PreviousFitError(this, f"{type(error).__name__}: {error}") from error


def read_previous(session, this) -> pd.DataFrame | None:
    """The previous fit (this model's current table), or None when the table does
    not exist (the first fit). Any other failure to read it, or a table without
    the columns this model writes, stops the build: treating it as a first fit
    would renumber every segment and flip every CRM label."""
    try:
        if hasattr(session, "execute"):  # DuckDB connection
            if not previous_fit_exists(session, this):
                return None
            previous = session.sql(f"select * from {this!r}").df()
        else:  # Snowpark session
            previous = _snowpark_previous(session, this)
            if previous is None:
                return None
    except PreviousFitError:
        raise
    except Exception as error:
        raise PreviousFitError(this, f"{type(error).__name__}: {error}") from error
    previous.columns = [str(c).lower() for c in previous.columns]
    missing = [c for c in PREVIOUS_FIT_COLUMNS if c not in previous.columns]
    if missing:
        raise PreviousFitError(this, f"it has no column {', '.join(missing)}")
    if previous.empty:
        raise PreviousFitError(this, "it has no rows")
    try:
        for row in previous.itertuples():
            json.loads(row.feature_spec)
            np.asarray(json.loads(row.centroid), dtype=float)
    except (TypeError, ValueError) as error:
        cause = f"its centroid or feature_spec is not JSON: {error}"
        raise PreviousFitError(this, cause) from error
    return previous


def _snowpark_type(column: pd.Series):
    from snowflake.snowpark import types as T

    dtype = column.dtype
    values = column.dropna()
    if (
        pd.api.types.is_object_dtype(dtype)
        and len(values)
        and all(isinstance(v, dt.date) and not isinstance(v, datetime) for v in values)
    ):
        return T.DateType()
    if pd.api.types.is_bool_dtype(dtype):
        return T.BooleanType()
    if pd.api.types.is_integer_dtype(dtype):
        return T.LongType()
    if pd.api.types.is_float_dtype(dtype):
        return T.DoubleType()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return T.TimestampType(T.TimestampTimeZone.NTZ)
    return T.StringType()


def _native(value: object) -> object:
    """Python scalars for Snowpark literals (numpy and pandas scalars are not)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if isinstance(value, np.generic) else value


def hand_back(session, frame: pd.DataFrame):
    """DuckDB takes pandas; Snowpark gets a DataFrame with upper-case column names.

    Built from rows with an explicit schema, not from pandas: Snowpark uploads a
    pandas frame through a temporary stage and table, while a few rows become an
    inline VALUES clause (below 512 cells per part, hence the union of parts)."""
    if hasattr(session, "execute"):
        return frame
    from snowflake.snowpark import types as T

    schema = T.StructType(
        [T.StructField(c.upper(), _snowpark_type(frame[c])) for c in frame.columns]
    )
    rows = [[_native(v) for v in row] for row in frame.itertuples(index=False)]
    step = 511 // len(schema.fields)
    result = None
    for start in range(0, len(rows), step):
        part = session.create_dataframe(rows[start : start + step], schema)
        result = part if result is None else result.union_all(part)
    return result


# --- transform --------------------------------------------------------------


def _raw_column(frame: pd.DataFrame, feature: dict) -> np.ndarray:
    column = feature["column"]
    if column not in frame.columns:
        raise ValueError(
            f"segmentation: cluster feature {column!r} is not a column of "
            "int_segmentation__customer_features; fix cluster_features in the model config"
        )
    values = frame[column]
    kind = feature.get("transform", "identity")
    if kind == "indicator":
        return (values == feature["value"]).fillna(False).to_numpy(dtype=float)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if kind == "log1p":
        return np.log1p(np.clip(numbers, 0, None))
    return numbers


def expand_onehot(frame: pd.DataFrame, features: list[dict]) -> list[dict]:
    """Features with every `onehot` entry replaced by indicators of its column's most
    frequent non-null values in the sample (at most max_levels, each held by at least
    min_share of the sample; ties by value), so SQL scores them like any indicator."""
    expanded = []
    for feature in features:
        if feature.get("transform") != "onehot":
            expanded.append(feature)
            continue
        column = feature["column"]
        if column not in frame.columns:
            _raw_column(frame, {"column": column})  # raises the clear message
        counts = frame[column].dropna().astype(str).value_counts()
        shares = counts / max(len(frame), 1)
        levels = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
        max_levels = int(feature.get("max_levels", ONEHOT_MAX_LEVELS))
        min_share = float(feature.get("min_share", ONEHOT_MIN_SHARE))
        for value, share in levels[:max_levels]:
            if share >= min_share:
                expanded.append({"column": column, "transform": "indicator", "value": value})
    return expanded


def fit_transform_spec(frame: pd.DataFrame, features: list[dict], scaling: str) -> list[dict]:
    """Centre and scale of every feature, learnt on the sample (median/IQR or mean/std)."""
    spec = []
    for feature in expand_onehot(frame, features):
        values = _raw_column(frame, feature)
        finite = values[~np.isnan(values)]
        if finite.size == 0:
            center, scale = 0.0, 1.0
        elif scaling == "robust":
            q25, center, q75 = np.percentile(finite, [25, 50, 75])
            scale = q75 - q25
            if not scale > 0:
                scale = float(np.std(finite))
        else:
            center, scale = float(np.mean(finite)), float(np.std(finite))
        scale = float(scale) if scale and scale > 0 else 1.0
        entry = {
            "column": feature["column"],
            "transform": feature.get("transform", "identity"),
            "center": float(center),
            "scale": scale,
        }
        if entry["transform"] == "indicator":
            entry["value"] = feature["value"]
        spec.append(entry)
    return spec


def transform(frame: pd.DataFrame, spec: list[dict]) -> np.ndarray:
    """Feature matrix in the model space: (transformed - centre) / scale, null → 0."""
    columns = []
    for entry in spec:
        values = (_raw_column(frame, entry) - entry["center"]) / entry["scale"]
        columns.append(np.nan_to_num(values, nan=0.0))
    return np.column_stack(columns) if columns else np.zeros((len(frame), 0))


# --- fit ---------------------------------------------------------------------


def fit_kmeans(matrix: np.ndarray, k: int, random_state: int, n_init: int, init=None):
    """k-means++ with n_init starts, or one run from the given centroids."""
    from sklearn.cluster import KMeans

    if init is not None:
        return KMeans(n_clusters=k, init=init, n_init=1, random_state=random_state).fit(matrix)
    return KMeans(n_clusters=k, random_state=random_state, n_init=n_init).fit(matrix)


def selection_rows(n: int, settings: dict) -> np.ndarray:
    """Rows of the fit sample that k is chosen on: all of them, or a seeded draw of
    cluster_selection_sample, so the search costs the same at 25k and 1M customers."""
    size = settings["cluster_selection_sample"]
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(settings["cluster_random_state"]).choice(n, size, False))


def meets_gates(labels: np.ndarray, k: int, eligible: int, settings: dict) -> bool:
    """Whether every cluster's share (and its size scaled to all eligible customers)
    is within the quality-gate bounds (docs/decisions/0013)."""
    shares = np.bincount(labels, minlength=k) / max(len(labels), 1)
    return bool(
        shares.min() >= settings["cluster_min_share"]
        and shares.max() <= settings["cluster_max_share"]
        and shares.min() * eligible >= settings["cluster_min_customers"]
    )


def prediction_strength(matrix: np.ndarray, k: int, settings: dict) -> float:
    """Tibshirani & Walther's prediction strength on two seeded halves: for each
    cluster of the second half, the share of its pairs that the first half's
    centroids also put together; the score is the smallest of those shares.
    Pairs are counted from a contingency table, so the cost is linear in rows."""
    rng = np.random.default_rng(settings["cluster_random_state"])
    order = rng.permutation(len(matrix))
    first, second = matrix[order[::2]], matrix[order[1::2]]
    seed, n_init = settings["cluster_random_state"], settings["cluster_n_init_selection"]
    predicted = fit_kmeans(first, k, seed, n_init).predict(second)
    labels = fit_kmeans(second, k, seed, n_init).labels_
    table = np.zeros((k, k))
    np.add.at(table, (labels, predicted), 1)
    sizes = table.sum(axis=1)
    together = (table * (table - 1)).sum(axis=1)
    strengths = together[sizes > 1] / (sizes[sizes > 1] * (sizes[sizes > 1] - 1))
    return float(strengths.min()) if strengths.size else 0.0


def choose_k(
    matrix: np.ndarray, settings: dict, eligible: int
) -> tuple[int, dict[int, float], np.ndarray | None]:
    """Fixed k, or the k in [k_min, k_max] chosen by settings['cluster_k_method'] on
    a bounded selection sample, among the k whose clusters meet the quality gates
    (all k when none does), with that fit's centroids to start the final fit from.
    Ties go to the smaller k. No step is quadratic in the fit sample."""
    fixed = settings["cluster_k"]
    candidates = (
        [fixed] if fixed else range(settings["cluster_k_min"], settings["cluster_k_max"] + 1)
    )
    candidates = [k for k in candidates if k < len(matrix)]
    if not candidates:
        raise ValueError(f"segmentation: only {len(matrix)} eligible customers; too few to cluster")
    if fixed:
        return fixed, {}, None
    chosen = matrix[selection_rows(len(matrix), settings)]
    seed, n_init = settings["cluster_random_state"], settings["cluster_n_init_selection"]
    scores, allowed, centroids = {}, [], {}
    for k in candidates:
        fitted = fit_kmeans(chosen, k, seed, n_init)
        centroids[k] = fitted.cluster_centers_
        scores[k] = round(score_k(chosen, fitted, k, settings), 12)
        if meets_gates(fitted.labels_, k, eligible, settings):
            allowed.append(k)
    best = choose_from_scores(scores, allowed or candidates, settings)
    return best, scores, centroids[best]


def score_k(matrix: np.ndarray, fitted, k: int, settings: dict) -> float:
    if settings["cluster_k_method"] == "silhouette":
        return sampled_silhouette(matrix, fitted.labels_, settings)
    return prediction_strength(matrix, k, settings)


def choose_from_scores(scores: dict[int, float], pool: list[int], settings: dict) -> int:
    """silhouette: the best score. prediction_strength: the largest k whose strength
    reaches cluster_prediction_strength (every cluster reproducible), else the best."""
    if settings["cluster_k_method"] == "prediction_strength":
        strong = [k for k in pool if scores[k] >= settings["cluster_prediction_strength"]]
        if strong:
            return max(strong)
    return max(pool, key=lambda k: (scores[k], -k))


def sampled_silhouette(matrix: np.ndarray, labels: np.ndarray, settings: dict) -> float:
    """Mean silhouette on a seeded sample of at most cluster_silhouette_sample rows: the
    silhouette method's score of each k, and the final fit's diagnostic for the runs table."""
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return float("nan")
    size = min(len(matrix), settings["cluster_silhouette_sample"])
    seed = settings["cluster_random_state"]
    return float(silhouette_score(matrix, labels, sample_size=size, random_state=seed))


def match_segment_ids(centroids: np.ndarray, previous: dict[int, np.ndarray] | None) -> list[int]:
    """Segment ids for new centroids: the previous fit's ids by optimal assignment
    on centroid distance (Hungarian method); clusters left over get new ids above
    the largest id ever used. Without a comparable previous fit, ids are 1..k in
    the order of the centroids."""
    k = len(centroids)
    if not previous:
        return list(range(1, k + 1))
    from scipy.optimize import linear_sum_assignment

    old_ids = sorted(previous)
    old = np.stack([previous[i] for i in old_ids])
    distance = np.linalg.norm(centroids[:, None, :] - old[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(distance)
    ids = [0] * k
    for row, col in zip(rows, cols, strict=True):
        ids[row] = old_ids[col]
    next_id = max(old_ids) + 1
    for row in range(k):
        if ids[row] == 0:
            ids[row] = next_id
            next_id += 1
    return ids


def _dimension_key(entry: dict) -> tuple:
    return (entry["column"], entry["transform"], json.dumps(entry.get("value")))


def previous_centroids(
    previous: pd.DataFrame | None, spec: list[dict]
) -> tuple[dict[int, np.ndarray], list[int]] | None:
    """The previous fit's centroids by segment id on the dimensions it shares with
    `spec` (same column, transform and indicator value; centres and scales may move),
    with the positions of those dimensions in `spec`. None on a first fit, or when
    fewer than half of the dimensions are shared (the features changed)."""
    if previous is None:
        return None
    old_spec = json.loads(previous["feature_spec"].iloc[0])
    old_position = {_dimension_key(entry): i for i, entry in enumerate(old_spec)}
    shared = [i for i, entry in enumerate(spec) if _dimension_key(entry) in old_position]
    if not shared or len(shared) * 2 < len(spec):
        return None
    columns = [old_position[_dimension_key(spec[i])] for i in shared]
    centroids = {
        int(row.segment_id): np.asarray(json.loads(row.centroid), dtype=float)[columns]
        for row in previous.itertuples()
    }
    return centroids, shared


def canonical_order(centroids: np.ndarray) -> np.ndarray:
    """A data-defined order of clusters (lexicographic on rounded centroids), so a
    first fit numbers segments independently of k-means' internal labels."""
    keys = np.round(centroids, 9)
    return np.lexsort(keys.T[::-1])


def fit_model(sample: pd.DataFrame, eligible: int, settings: dict, previous) -> pd.DataFrame:
    """Everything but I/O: transform, choose k, fit, name segments, describe the run."""
    if sample.empty:
        raise ValueError(
            "segmentation: no eligible customers to cluster (need at least "
            f"{settings['cluster_eligible_min_orders']} accepted orders)"
        )
    sample = sample.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    spec = fit_transform_spec(sample, settings["cluster_features"], settings["cluster_scaling"])
    matrix = transform(sample, spec)
    k, scores, start = choose_k(matrix, settings, eligible)
    # The final fit refines the selection fit on the whole fit sample (or, with a
    # fixed k, runs k-means++ cluster_n_init times).
    fitted = fit_kmeans(
        matrix, k, settings["cluster_random_state"], settings["cluster_n_init"], init=start
    )
    silhouette = sampled_silhouette(matrix, fitted.labels_, settings)
    order = canonical_order(fitted.cluster_centers_)
    centroids = fitted.cluster_centers_[order]
    sizes = np.bincount(fitted.labels_, minlength=k)[order]
    matched = previous_centroids(previous, spec)
    ids = (
        match_segment_ids(centroids[:, matched[1]], matched[0])
        if matched
        else match_segment_ids(centroids, None)
    )
    spec_json = json.dumps(spec, sort_keys=True)
    fit_id = hashlib.sha1(
        (spec_json + json.dumps(np.round(centroids, 9).tolist()) + str(eligible)).encode()
    ).hexdigest()[:16]
    fitted_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = []
    for position, segment_id in enumerate(ids):
        rows.append(
            {
                "segment_id": int(segment_id),
                "fit_id": fit_id,
                "k": int(k),
                "centroid": json.dumps([round(float(v), 12) for v in centroids[position]]),
                "feature_spec": spec_json,
                "segment_fit_size": int(sizes[position]),
                "sample_size": len(sample),
                "eligible_customers": int(eligible),
                "eligibility_min_orders": int(settings["cluster_eligible_min_orders"]),
                "silhouette": silhouette,
                "inertia": float(fitted.inertia_),
                "k_selection": "fixed" if settings["cluster_k"] else settings["cluster_k_method"],
                "k_scores": json.dumps({str(key): round(v, 6) for key, v in scores.items()}),
                "random_state": int(settings["cluster_random_state"]),
                "package_version": PACKAGE_VERSION,
                "fitted_at": fitted_at,
            }
        )
    return pd.DataFrame(rows).sort_values("segment_id").reset_index(drop=True)


def model(dbt, session):
    # Snowflake: versions of its Anaconda channel (tests/snowpark runs these pins);
    # Python 3.11 for datetime.UTC. DuckDB ignores both.
    dbt.config(
        materialized="table",
        python_version="3.11",
        packages=["pandas==2.2.3", "numpy==1.26.4", "scikit-learn==1.5.2", "scipy==1.13.1"],
    )
    # Literal keys: dbt finds the config a Python model reads by parsing these calls.
    settings = read_settings(
        {
            "cluster_features": dbt.config.get("cluster_features"),
            "cluster_scaling": dbt.config.get("cluster_scaling"),
            "cluster_k": dbt.config.get("cluster_k"),
            "cluster_k_min": dbt.config.get("cluster_k_min"),
            "cluster_k_max": dbt.config.get("cluster_k_max"),
            "cluster_max_fit_rows": dbt.config.get("cluster_max_fit_rows"),
            "cluster_silhouette_sample": dbt.config.get("cluster_silhouette_sample"),
            "cluster_random_state": dbt.config.get("cluster_random_state"),
            "cluster_n_init": dbt.config.get("cluster_n_init"),
            "cluster_n_init_selection": dbt.config.get("cluster_n_init_selection"),
            "cluster_selection_sample": dbt.config.get("cluster_selection_sample"),
            "cluster_k_method": dbt.config.get("cluster_k_method"),
            "cluster_prediction_strength": dbt.config.get("cluster_prediction_strength"),
            "cluster_eligible_min_orders": dbt.config.get("cluster_eligible_min_orders"),
            "cluster_min_share": dbt.config.get("cluster_min_share"),
            "cluster_max_share": dbt.config.get("cluster_max_share"),
            "cluster_min_customers": dbt.config.get("cluster_min_customers"),
        }
    )
    features = dbt.ref("int_segmentation__customer_features")
    sample, eligible = eligible_sample(
        features, settings["cluster_eligible_min_orders"], settings["cluster_max_fit_rows"]
    )
    policy = read_policy(
        {
            "refit": dbt.config.get("refit"),
            "refit_every_days": dbt.config.get("refit_every_days"),
            "refit_drift": dbt.config.get("refit_drift"),
        }
    )
    previous = read_previous(session, dbt.this)
    fit = decide_and_fit(sample, eligible, settings, policy, previous, as_of_date(features))
    return hand_back(session, fit)
