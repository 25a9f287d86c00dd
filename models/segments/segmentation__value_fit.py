"""Fit the predicted-value models; the fit is a small table (one row per fit scope).

BG/NBD (Fader, Hardie & Lee 2005: purchase frequency and dropout) and Gamma-Gamma
(Fader, Hardie & Lee 2005, "RFM and CLV": spend per purchase), by maximum likelihood
with scipy on the summary of `int_segmentation__value_summary` (the lifetimes /
pymc-marketing shape: frequency = repeat purchase days, recency and T from the first
purchase day, monetary value = mean of the repeat purchase days' totals), in periods
of `value_period_days` days. Two fits per build:

- `calibration`: on the history up to the calibration end (as-of date minus
  `value_holdout_days`), for the backtest that SQL scores on the holdout period;
- `full`: on the whole history up to the as-of date, for the predictions.

Scoring every customer is SQL (`int_segmentation__customer_value`) plus the
hypergeometric term per (frequency, T) in `segmentation__value_curves`, so this
model only holds a bounded, deterministic sample: the first `value_max_fit_rows`
customers by md5(customer_id), drawn in the warehouse (as the cluster model does).
The BG/NBD likelihood is evaluated on the sample's distinct (x, t_x, T) rows with
their counts. The optimum is found with L-BFGS-B on log parameters and polished with
Newton steps on the analytic gradient, so it does not depend on the optimizer's path
(the DuckDB and Snowpark runs agree to 1e-9, tests/snowpark).

Refit policy (docs/decisions/0023, the cluster model's without the drift trigger): a
build refits only when there is no previous fit, when the settings fingerprint changed
(sample bound, period, minimum customers, holdout days, package version), when the var
segmentation__refit forces it, or when the as-of date is segmentation__refit_every_days
or more after the fit's; otherwise it hands back the previous fit's rows unchanged
(same fit_id, parameters, fitted_at). The decision reads only the data, the vars and
the previous fit: neither the clock nor --full-refresh.

Degenerate data (too few customers, no repeat purchase, an optimum at infinity)
gives a row with null parameters and the reason in `fit_status`, never a failed build;
SQL then leaves the predictions null with that reason. All logic is in plain functions
so that pytest loads this file and a Snowflake stored procedure (which ships only this
file) runs it; it accepts a DuckDB relation or a Snowpark DataFrame.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd

# dbt_project.yml `version:` (tests/python/test_package_release.py checks it).
PACKAGE_VERSION = "0.2.0"

DEFAULTS = {
    "value_max_fit_rows": 250_000,
    "value_period_days": 7,
    "value_min_customers": 20,
    # The calibration fit's history ends this many days before the as-of date.
    "value_holdout_days": 180,
}
# The refit policy's vars (segmentation__refit, segmentation__refit_every_days).
POLICY_DEFAULTS = {"refit": None, "refit_every_days": 7}
REFIT_REASONS = ("no_previous_fit", "settings_changed", "forced", "schedule")
# Columns a previous fit needs for the policy to compare and keep it.
PREVIOUS_FIT_COLUMNS = ("fit_scope", "fit_id", "settings_fingerprint", "fitted_as_of_date")
# Snowflake's error for an object that does not exist (or that the role cannot see).
SNOWFLAKE_DOES_NOT_EXIST = 2003
PERIOD_DAYS = {"day": 1, "week": 7}
FIT_SCOPES = ("calibration", "full")
BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "gamma")
# Log parameters are searched within these bounds; an optimum on a bound means the
# likelihood keeps rising towards 0 or infinity (not identifiable on this data).
LOG_BOUND = 12.0
# Newton polishing stops when the largest gradient component (of the mean log-likelihood
# in log parameters) is below this.
GRADIENT_TOLERANCE = 1e-11
SUMMARY_COLUMNS = {
    "full": ("frequency", "recency_days", "age_days", "monetary_value"),
    "calibration": ("frequency_cal", "recency_cal_days", "age_cal_days", "monetary_value_cal"),
}


# --- configuration ----------------------------------------------------------


def read_settings(configured: dict) -> dict:
    """The model's settings (from `dbt.config.get`), with defaults; validated."""
    settings = {}
    for key, default in DEFAULTS.items():
        value = configured.get(key)
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
            value = default
        settings[key] = value
    period = settings["value_period_days"]
    if isinstance(period, str) and period in PERIOD_DAYS:
        settings["value_period_days"] = PERIOD_DAYS[period]
    for key in DEFAULTS:
        try:
            settings[key] = int(settings[key])
        except (TypeError, ValueError):
            raise ValueError(
                f"segmentation: value model setting {key} must be a whole number, "
                f"got {configured.get(key)!r}"
            ) from None
        if settings[key] < 1:
            raise ValueError(f"segmentation: value model setting {key} must be at least 1")
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
    """refit (null = follow the policy, true = refit, false = keep while the settings
    are unchanged) and refit_every_days (null = no schedule, 0 = every build)."""
    every = configured.get("refit_every_days", POLICY_DEFAULTS["refit_every_days"])
    unset = every is None or (
        isinstance(every, str) and every.strip().lower() in ("", "none", "null")
    )
    policy = {
        "refit": _optional_bool(configured.get("refit"), "refit"),
        "refit_every_days": None if unset else int(every),  # type: ignore[arg-type]
    }
    if policy["refit_every_days"] is not None and policy["refit_every_days"] < 0:
        raise ValueError("segmentation: refit_every_days must be at least 0 or null")
    return policy


def settings_fingerprint(settings: dict) -> str:
    """A hash of every setting that defines the fits (DEFAULTS' keys) and the package
    version; a previous fit with another one is refitted ('settings_changed')."""
    payload = {key: settings[key] for key in DEFAULTS}
    payload["package_version"] = PACKAGE_VERSION
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _as_date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def refit_decision(
    previous: pd.DataFrame | None, fingerprint: str, as_of_date: dt.date | None, policy: dict
) -> str | None:
    """Why this build refits (REFIT_REASONS, in that order), or None to keep the
    previous fit: as the cluster model decides, without its drift trigger."""
    if previous is None:
        return "no_previous_fit"
    missing = [c for c in PREVIOUS_FIT_COLUMNS if c not in previous.columns]
    scopes = sorted(previous["fit_scope"]) if "fit_scope" in previous.columns else []
    if missing or scopes != sorted(FIT_SCOPES):
        return "settings_changed"  # a table of an older version, or not a whole fit
    if set(previous["settings_fingerprint"]) != {fingerprint}:
        return "settings_changed"
    if policy.get("refit") is True:
        return "forced"
    if policy.get("refit") is False:
        return None
    every = policy.get("refit_every_days")
    if every is not None:
        fitted = {_as_date(v) for v in previous["fitted_as_of_date"]}
        if None in fitted or as_of_date is None or len(fitted) != 1:
            return "schedule"
        days = (as_of_date - fitted.pop()).days
        if days < 0 or days >= every:
            return "schedule"
    return None


def with_run(fits: pd.DataFrame, reason: str | None) -> pd.DataFrame:
    """The fit's rows in FIT_COLUMNS order with this run's decision, typed alike on
    both paths (a kept fit comes back from the warehouse, a new one from fit_rows)."""
    frame = fits.loc[:, list(FIT_COLUMNS)].copy()
    for name in BGNBD_PARAMETERS + GAMMA_GAMMA_PARAMETERS + LOG_LIKELIHOODS:
        frame[name] = frame[name].astype(float)
    for name in COUNT_COLUMNS:
        frame[name] = frame[name].astype("int64")
    for name in ("fitted_as_of_date", "fitted_through_date"):
        frame[name] = [_as_date(v) for v in frame[name]]
    frame["fitted_at"] = pd.to_datetime(frame["fitted_at"]).astype("datetime64[us]")
    frame["run_decision"] = pd.Series("kept" if reason is None else "refit", index=frame.index)
    frame["refit_reason"] = pd.Series([reason] * len(frame), index=frame.index, dtype="string")
    return frame.sort_values("fit_scope").reset_index(drop=True)


# --- engine adapters: DuckDB relation or Snowpark DataFrame -----------------


def is_snowpark(frame: object) -> bool:
    return type(frame).__module__.startswith("snowflake.snowpark")


SAMPLE_COLUMNS = (
    "customer_id",
    "is_in_calibration",
    *tuple(c for scope in FIT_SCOPES for c in SUMMARY_COLUMNS[scope]),
)


def summary_sample(summary, max_rows: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """The first `max_rows` customers by md5(customer_id) (the lower-case hex digest on
    both engines) and the customer counts of each scope, drawn in the warehouse."""
    if is_snowpark(summary):
        from snowflake.snowpark import functions as F

        column = {c.lower(): c for c in summary.columns}
        count = summary.count()
        in_calibration = summary.filter(F.col(column["is_in_calibration"])).count()
        sample = (
            summary.sort(F.md5(F.col(column["customer_id"])))
            .limit(max_rows)
            .select([F.col(column[c]) for c in SAMPLE_COLUMNS])
            .to_pandas()
        )
    else:
        count, in_calibration = summary.aggregate(
            "count(*), count(*) filter (where is_in_calibration)"
        ).fetchall()[0]
        sample = (
            summary.order("md5(customer_id)").limit(max_rows).select(", ".join(SAMPLE_COLUMNS)).df()
        )
    sample.columns = [str(c).lower() for c in sample.columns]
    return sample, {"full": int(count), "calibration": int(in_calibration)}


def summary_dates(summary) -> tuple[dt.date | None, dt.date | None]:
    """The summary's as-of date and calibration end (the same on every row)."""
    if is_snowpark(summary):
        from snowflake.snowpark import functions as F

        column = {c.lower(): c for c in summary.columns}
        [row] = summary.agg(
            F.max(F.col(column["as_of_date"])), F.max(F.col(column["calibration_end_date"]))
        ).collect()
    else:
        [row] = summary.aggregate("max(as_of_date), max(calibration_end_date)").fetchall()
    return _as_date(row[0]), _as_date(row[1])


class PreviousFitError(RuntimeError):
    """The previous fit exists but cannot be read: the build stops."""

    def __init__(self, this, cause: str) -> None:
        super().__init__(
            f"segmentation: cannot read the previous value fit {this}: {cause}. Fix or restore "
            "that table, or drop it to fit afresh (docs/decisions/0023)"
        )


def read_previous(session, this) -> pd.DataFrame | None:
    """This model's current table (the previous fit), or None when it does not exist.
    Any other failure to read it stops the build (as the cluster model's, decision 0015)."""
    try:
        if hasattr(session, "execute"):  # DuckDB connection
            [(count,)] = session.execute(
                "select count(*) from information_schema.tables where lower(table_catalog) = "
                "lower(?) and lower(table_schema) = lower(?) and lower(table_name) = lower(?)",
                [this.database, this.schema, this.identifier],
            ).fetchall()
            if count == 0:
                return None
            previous = session.sql(f"select * from {this}").df()
        else:  # Snowpark session
            from snowflake.snowpark.exceptions import SnowparkSQLException

            try:
                previous = session.table(str(this)).to_pandas()
            except SnowparkSQLException as error:
                code = getattr(error, "sql_error_code", None)
                if code == SNOWFLAKE_DOES_NOT_EXIST or (
                    code is None and "does not exist" in str(error)  # local testing: no code
                ):
                    return None
                raise
    except Exception as error:
        raise PreviousFitError(this, f"{type(error).__name__}: {error}") from error
    previous.columns = [str(c).lower() for c in previous.columns]
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
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if isinstance(value, np.generic) else value


def hand_back(session, frame: pd.DataFrame):
    """DuckDB takes pandas; Snowpark gets a DataFrame with upper-case column names,
    built from rows with an explicit schema (a few rows: an inline VALUES clause)."""
    if hasattr(session, "execute"):
        return frame
    from snowflake.snowpark import types as T

    schema = T.StructType(
        [T.StructField(c.upper(), _snowpark_type(frame[c])) for c in frame.columns]
    )
    rows = [[_native(v) for v in row] for row in frame.itertuples(index=False)]
    return session.create_dataframe(rows, schema)


# --- input checks -----------------------------------------------------------


def check_summary(x: np.ndarray, t_x: np.ndarray, age: np.ndarray, scope: str) -> None:
    """The summary's invariants (true by construction in SQL); a violation is an error
    that names the rule, never a silently dropped customer."""
    problems = []
    if not (np.isfinite(x).all() and np.isfinite(t_x).all() and np.isfinite(age).all()):
        problems.append("null or non-finite frequency, recency or T")
    elif (x < 0).any() or (x != np.round(x)).any():
        problems.append("frequency must be a whole number >= 0")
    elif (t_x < 0).any() or (t_x > age).any():
        problems.append("recency must be between 0 and T")
    elif ((x == 0) & (t_x != 0)).any():
        problems.append("recency must be 0 without repeat purchases")
    if problems:
        raise ValueError(
            f"segmentation: int_segmentation__value_summary ({scope}) breaks the summary rules: "
            + "; ".join(problems)
        )


# --- BG/NBD -----------------------------------------------------------------


def bgnbd_log_likelihood(
    params, x: np.ndarray, t_x: np.ndarray, age: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's BG/NBD log-likelihood and its gradient in (r, alpha, a, b).

    L = B(a, b+x)/B(a, b) * G(r+x) a^r / (G(r) (alpha+T)^(r+x))
      + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
    (Fader, Hardie & Lee 2005, eq. 6), summed in log space."""
    from scipy.special import betaln, digamma, gammaln

    r, alpha, a, b = params
    repeat = x > 0
    b_x1 = np.where(repeat, b + x - 1, 1.0)
    u1 = betaln(a, b + x) - (r + x) * np.log(alpha + age)
    u2 = np.where(repeat, betaln(a + 1, b_x1) - (r + x) * np.log(alpha + t_x), -np.inf)
    top = np.maximum(u1, u2)
    total = top + np.log(np.exp(u1 - top) + np.exp(u2 - top))
    w1, w2 = np.exp(u1 - total), np.exp(u2 - total)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b) + total
    psi_abx = digamma(a + b + x)
    psi_ab = digamma(a + b)
    grad = np.stack(
        [
            digamma(r + x) - digamma(r) + np.log(alpha)
            - w1 * np.log(alpha + age) - w2 * np.log(alpha + t_x),
            r / alpha - w1 * (r + x) / (alpha + age) - w2 * (r + x) / (alpha + t_x),
            -(digamma(a) - psi_ab) + w1 * (digamma(a) - psi_abx)
            + w2 * (digamma(a + 1) - psi_abx),
            -(digamma(b) - psi_ab) + w1 * (digamma(b + x) - psi_abx)
            + w2 * (np.where(repeat, digamma(b_x1), 0.0) - psi_abx),
        ],
        axis=1,
    )  # fmt: skip
    return ll, grad


def gamma_gamma_log_likelihood(
    params, x: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each repeat customer's Gamma-Gamma log-likelihood of the mean spend m of x
    purchases, and its gradient in (p, q, gamma):
    f(m | x) = G(px+q) gamma^q m^(px-1) x^(px) / (G(px) G(q) (gamma+mx)^(px+q))."""
    from scipy.special import digamma, gammaln

    p, q, gamma = params
    px = p * x
    ll = (
        gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
        + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(gamma + m * x)
    )  # fmt: skip
    psi = digamma(px + q)
    grad = np.stack(
        [
            x * (psi - digamma(px) + np.log(m) + np.log(x) - np.log(gamma + m * x)),
            psi - digamma(q) + np.log(gamma) - np.log(gamma + m * x),
            q / gamma - (px + q) / (gamma + m * x),
        ],
        axis=1,
    )
    return ll, grad


def maximise(loglik, data: tuple, weights: np.ndarray, start: np.ndarray) -> dict:
    """Maximum likelihood in log parameters: L-BFGS-B within +-LOG_BOUND, then Newton
    steps on the analytic gradient (Hessian by central differences of it) until the
    gradient vanishes. Deterministic: the same data give the same optimum, and
    the Newton polish makes it independent of the optimizer's path and version."""
    from scipy.optimize import minimize

    total = float(weights.sum())

    def mean_ll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(theta)
        ll, grad = loglik(params, *data)
        value = float(np.dot(weights, ll)) / total
        gradient = (weights @ grad) / total * params
        return value, gradient

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = mean_ll(theta)
        if not np.isfinite(value):
            return 1e300, np.zeros_like(theta)
        return -value, -gradient

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)
    result = minimize(
        objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
    )  # fmt: skip
    theta = np.asarray(result.x, dtype=float)
    if np.any(np.abs(theta) >= LOG_BOUND - 1e-6):
        return {"status": "no finite optimum (a parameter runs to 0 or infinity)"}
    value, gradient = mean_ll(theta)
    steps = 0
    for steps in range(1, 51):  # noqa: B007
        if np.max(np.abs(gradient)) < GRADIENT_TOLERANCE:
            break
        hessian = np.empty((len(theta), len(theta)))
        for i in range(len(theta)):
            h = 1e-5
            up, down = theta.copy(), theta.copy()
            up[i] += h
            down[i] -= h
            hessian[:, i] = (mean_ll(up)[1] - mean_ll(down)[1]) / (2 * h)
        hessian = (hessian + hessian.T) / 2
        try:
            step = -np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            break
        candidate = theta + step
        new_value, new_gradient = mean_ll(candidate)
        if not (np.isfinite(new_value) and new_value >= value - 1e-12 * abs(value)):
            break
        theta, value, gradient = candidate, new_value, new_gradient
    if not np.isfinite(value) or np.max(np.abs(gradient)) > 1e-6:
        return {"status": f"did not converge (gradient {np.max(np.abs(gradient)):.1e})"}
    return {
        "status": "fitted",
        "params": np.exp(theta),
        "log_likelihood": value * total,
        "newton_steps": steps,
        "max_gradient": float(np.max(np.abs(gradient))),
    }


def fit_bgnbd(x, t_x, age, min_customers: int = 1) -> dict:
    """BG/NBD on customers' (frequency, recency, T) in periods; the likelihood is
    summed over distinct rows weighted by their counts."""
    x, t_x, age = (np.asarray(v, dtype=float) for v in (x, t_x, age))
    if len(x) < min_customers:
        return {"status": f"too few customers ({len(x)} < {min_customers})"}
    if not (x > 0).any():
        return {"status": "no repeat purchases: BG/NBD cannot be fitted"}
    rows, counts = np.unique(np.column_stack([x, t_x, age]), axis=0, return_counts=True)
    start = np.log([1.0, max(float(np.mean(age)), 1e-3), 1.0, 1.0])
    fit = maximise(
        bgnbd_log_likelihood, (rows[:, 0], rows[:, 1], rows[:, 2]), counts.astype(float), start
    )
    fit["customers"] = len(x)
    return fit


def fit_gamma_gamma(x, m, min_customers: int = 1) -> dict:
    """Gamma-Gamma on the repeat customers' (frequency, mean repeat spend); customers
    whose mean repeat spend is not positive are outside the model's support and are
    counted in `excluded` (their expected spend stays null in SQL, with the reason)."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    repeat = x > 0
    usable = repeat & (m > 0)
    excluded = int((repeat & ~usable).sum())
    x, m = x[usable], m[usable]
    if len(x) < min_customers:
        return {
            "status": f"too few repeat customers with positive spend ({len(x)} < {min_customers})",
            "excluded": excluded,
        }
    order = np.lexsort((m, x))  # a data-defined order: same sums on every engine
    x, m = x[order], m[order]
    start = np.log([1.0, 1.0, max(float(np.mean(m)), 1e-3)])
    fit = maximise(gamma_gamma_log_likelihood, (x, m), np.ones(len(x)), start)
    fit["customers"] = len(x)
    fit["excluded"] = excluded
    return fit


# --- the model ---------------------------------------------------------------


def fit_scope(sample: pd.DataFrame, scope: str, settings: dict) -> dict:
    """Both models on one scope of the sample (calibration: its customers who bought
    before the calibration end), in periods of value_period_days."""
    frequency, recency, age, monetary = SUMMARY_COLUMNS[scope]
    rows = sample
    if scope == "calibration":
        rows = sample[sample["is_in_calibration"].astype(bool)]
    period = float(settings["value_period_days"])
    x = rows[frequency].to_numpy(dtype=float, na_value=np.nan)
    t_x = rows[recency].to_numpy(dtype=float, na_value=np.nan) / period
    age_periods = rows[age].to_numpy(dtype=float, na_value=np.nan) / period
    m = rows[monetary].to_numpy(dtype=float, na_value=np.nan)
    check_summary(x, t_x, age_periods, scope)
    minimum = settings["value_min_customers"]
    return {
        "bgnbd": fit_bgnbd(x, t_x, age_periods, minimum),
        "gamma_gamma": fit_gamma_gamma(x, m, minimum),
        "sample_size": len(rows),
    }


LOG_LIKELIHOODS = ("bgnbd_log_likelihood", "gamma_gamma_log_likelihood")
COUNT_COLUMNS = (
    "bgnbd_customers", "gamma_gamma_customers", "gamma_gamma_excluded_customers", "sample_size",
    "eligible_customers", "period_days", "max_fit_rows",
)  # fmt: skip
# The columns of this model's table, in order: the fit's, then the run's decision.
FIT_COLUMNS = (
    "fit_scope", "r", "alpha", "a", "b", "bgnbd_log_likelihood", "bgnbd_customers",
    "bgnbd_status", "p", "q", "gamma", "gamma_gamma_log_likelihood", "gamma_gamma_customers",
    "gamma_gamma_status", "gamma_gamma_excluded_customers", "sample_size", "eligible_customers",
    "period_days", "max_fit_rows", "fit_id", "package_version", "fitted_at",
    "settings_fingerprint", "fitted_as_of_date", "fitted_through_date",
)  # fmt: skip


def decide_and_fit(
    sample_of,
    settings: dict,
    policy: dict,
    previous: pd.DataFrame | None,
    dates: tuple[dt.date | None, dt.date | None],
) -> pd.DataFrame:
    """The refit policy around fit_rows: the previous fit's rows unchanged when the
    policy keeps it, else new fits. `sample_of()` draws the sample (sample, eligible
    counts) only when the build refits, so a kept fit costs no sample."""
    fingerprint = settings_fingerprint(settings)
    as_of_date, calibration_end_date = dates
    reason = refit_decision(previous, fingerprint, as_of_date, policy)
    if reason is None:
        return with_run(previous, None)
    sample, eligible = sample_of()
    fits = fit_rows(sample, eligible, settings)
    fits["settings_fingerprint"] = fingerprint
    fits["fitted_as_of_date"] = as_of_date
    fits["fitted_through_date"] = [
        calibration_end_date if scope == "calibration" else as_of_date
        for scope in fits["fit_scope"]
    ]
    return with_run(fits, reason)


def fit_rows(sample: pd.DataFrame, eligible: dict[str, int], settings: dict) -> pd.DataFrame:
    """One row per fit scope: parameters, log-likelihoods, sample, status."""
    sample = sample.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    fitted_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = []
    for scope in FIT_SCOPES:
        fits = fit_scope(sample, scope, settings)
        bgnbd, gamma_gamma = fits["bgnbd"], fits["gamma_gamma"]
        row = {"fit_scope": scope}
        for model_name, fit, names in (
            ("bgnbd", bgnbd, BGNBD_PARAMETERS),
            ("gamma_gamma", gamma_gamma, GAMMA_GAMMA_PARAMETERS),
        ):
            params = fit.get("params")
            for i, name in enumerate(names):
                row[name] = float(params[i]) if params is not None else None
            row[f"{model_name}_log_likelihood"] = fit.get("log_likelihood")
            row[f"{model_name}_customers"] = int(fit.get("customers", 0))
            row[f"{model_name}_status"] = fit["status"]
        row["gamma_gamma_excluded_customers"] = int(gamma_gamma.get("excluded", 0))
        row["sample_size"] = int(fits["sample_size"])
        row["eligible_customers"] = int(eligible[scope])
        row["period_days"] = int(settings["value_period_days"])
        row["max_fit_rows"] = int(settings["value_max_fit_rows"])
        identity = json.dumps(
            {k: (round(v, 9) if isinstance(v, float) else v) for k, v in row.items()},
            sort_keys=True,
        )
        row["fit_id"] = hashlib.sha1(identity.encode()).hexdigest()[:16]
        row["package_version"] = PACKAGE_VERSION
        row["fitted_at"] = fitted_at
        rows.append(row)
    frame = pd.DataFrame(rows)
    for name in BGNBD_PARAMETERS + GAMMA_GAMMA_PARAMETERS:
        frame[name] = frame[name].astype(float)
    for name in ("bgnbd_log_likelihood", "gamma_gamma_log_likelihood"):
        frame[name] = frame[name].astype(float)
    return frame


def model(dbt, session):
    # Snowflake: versions of its Anaconda channel (tests/snowpark runs these pins).
    dbt.config(
        materialized="table",
        python_version="3.11",
        packages=["pandas==2.2.3", "numpy==1.26.4", "scipy==1.13.1"],
    )
    settings = read_settings(
        {
            "value_max_fit_rows": dbt.config.get("value_max_fit_rows"),
            "value_period_days": dbt.config.get("value_period_days"),
            "value_min_customers": dbt.config.get("value_min_customers"),
            "value_holdout_days": dbt.config.get("value_holdout_days"),
        }
    )
    policy = read_policy(
        {
            "refit": dbt.config.get("refit"),
            "refit_every_days": dbt.config.get("refit_every_days"),
        }
    )
    summary = dbt.ref("int_segmentation__value_summary")
    previous = read_previous(session, dbt.this)
    fits = decide_and_fit(
        lambda: summary_sample(summary, settings["value_max_fit_rows"]),
        settings,
        policy,
        previous,
        summary_dates(summary),
    )
    return hand_back(session, fits)
