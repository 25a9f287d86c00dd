"""The hypergeometric part of BG/NBD's expected purchases, per (fit scope, frequency, T).

BG/NBD's expected purchases of a customer (x, t_x, T) in the next t periods
(Fader, Hardie & Lee 2005, eq. 10) is

    E[Y(t)] = N(x, T, t) / D(x, t_x, T)
    N = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x)
                               * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
    D = 1 + [x > 0] * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)      (P(alive) = 1/D)

Only N needs the Gauss hypergeometric function, which SQL lacks, and N depends on
(x, T) alone, not on t_x. So this model computes N for every distinct (x, T) of the
summary (far fewer than customers), and SQL (`int_segmentation__customer_value`,
`int_segmentation__value_backtest`) computes D and P(alive) for every customer and
divides. Per (x, T) it gives:

- `expected_purchases_numerator`: N over the horizon, which is `value_horizon_days`
  for the `full` fit and the holdout period (`value_holdout_days`) for the
  `calibration` fit (the backtest);
- `discounted_purchases_numerator` (full fit only): sum over months i = 1..M of
  (N(i months) - N(i-1 months)) / (1 + d)^i, a month being 30 days and d the monthly
  discount rate (lifetimes' customer_lifetime_value with daily data); divided by D
  and multiplied by the expected spend per purchase it is the predicted value.

Plain functions, pandas 2 and 3, DuckDB relation or Snowpark DataFrame, as the fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULTS = {
    "value_period_days": 7,
    "value_holdout_days": 180,
    "value_horizon_days": 90,
    "value_months": 12,
    "value_monthly_discount_rate": 0.01,
}
PERIOD_DAYS = {"day": 1, "week": 7}
MONTH_DAYS = 30
CURVE_COLUMNS = {
    "full": ("frequency", "age_days"),
    "calibration": ("frequency_cal", "age_cal_days"),
}


def read_settings(configured: dict) -> dict:
    settings = {}
    for key, default in DEFAULTS.items():
        value = configured.get(key)
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
            value = default
        settings[key] = value
    if settings["value_period_days"] in PERIOD_DAYS:
        settings["value_period_days"] = PERIOD_DAYS[settings["value_period_days"]]
    for key in ("value_period_days", "value_holdout_days", "value_horizon_days", "value_months"):
        settings[key] = int(settings[key])
    settings["value_monthly_discount_rate"] = float(settings["value_monthly_discount_rate"])
    if settings["value_monthly_discount_rate"] < 0:
        raise ValueError("segmentation: value_monthly_discount_rate must be >= 0")
    return settings


def purchases_numerator(params, x, age, t) -> np.ndarray:
    """N(x, T, t) of the module docstring, in periods; NaN without parameters."""
    from scipy.special import hyp2f1

    r, alpha, a, b = (float(v) for v in params)
    x, age = np.asarray(x, dtype=float), np.asarray(age, dtype=float)
    t = np.broadcast_to(np.asarray(t, dtype=float), x.shape)
    with np.errstate(all="ignore"):
        z = t / (alpha + age + t)
        power = np.exp((r + x) * (np.log(alpha + age) - np.log(alpha + age + t)))
        hyper = hyp2f1(r + x, b + x, a + b + x - 1, z)
        result = (a + b + x - 1) / (a - 1) * (1 - power * hyper)
    return np.where(t == 0, 0.0, result)


def alive_denominator(params, x, t_x, age) -> np.ndarray:
    """D(x, t_x, T) of the module docstring (the SQL models compute the same)."""
    r, alpha, a, b = (float(v) for v in params)
    x, t_x, age = (np.asarray(v, dtype=float) for v in (x, t_x, age))
    with np.errstate(all="ignore"):
        log_odds = (
            np.log(a)
            - np.log(np.where(x > 0, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
        )
        return np.where(x > 0, 1 + np.exp(log_odds), 1.0)


def expected_purchases(params, t, x, t_x, age) -> np.ndarray:
    """Expected purchases in the next t periods of customers (x, t_x, T)."""
    return purchases_numerator(params, x, age, t) / alive_denominator(params, x, t_x, age)


def probability_alive(params, x, t_x, age) -> np.ndarray:
    return 1 / alive_denominator(params, x, t_x, age)


def discounted_numerator(params, x, age, months: int, month_periods: float, rate: float):
    """Sum over months of the month's N increment, discounted by (1 + rate)^month."""
    x = np.asarray(x, dtype=float)
    total = np.zeros(x.shape)
    previous = np.zeros(x.shape)
    for month in range(1, months + 1):
        current = purchases_numerator(params, x, age, month * month_periods)
        total += (current - previous) / (1 + rate) ** month
        previous = current
    return total


def gamma_gamma_expected_spend(params, x, m) -> np.ndarray:
    """E[spend per purchase | x, m] = (gamma + m x) p / (p x + q - 1) (the SQL's formula)."""
    p, q, gamma = (float(v) for v in params)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    return (gamma + m * x) * p / (p * x + q - 1)


# --- engine adapters ---------------------------------------------------------


def is_snowpark(frame: object) -> bool:
    return type(frame).__module__.startswith("snowflake.snowpark")


def _lower(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(c).lower() for c in frame.columns]
    return frame


def distinct_points(summary, scope: str) -> pd.DataFrame:
    """The distinct (frequency, age_days) of a scope, computed in the warehouse."""
    frequency, age = CURVE_COLUMNS[scope]
    if is_snowpark(summary):
        from snowflake.snowpark import functions as F

        column = {c.lower(): c for c in summary.columns}
        rows = summary
        if scope == "calibration":
            rows = rows.filter(F.col(column["is_in_calibration"]))
        frame = rows.select(F.col(column[frequency]), F.col(column[age])).distinct().to_pandas()
    else:
        rows = summary.filter("is_in_calibration") if scope == "calibration" else summary
        frame = rows.select(f"{frequency}, {age}").distinct().df()
    frame = _lower(frame)
    frame.columns = ["frequency", "age_days"]
    return frame.sort_values(["frequency", "age_days"], kind="mergesort").reset_index(drop=True)


def fit_parameters(fit) -> dict[str, np.ndarray | None]:
    """BG/NBD parameters per scope from the fit table (None when it was not fitted)."""
    frame = _lower(fit.to_pandas() if is_snowpark(fit) else fit.df())
    parameters = {}
    for row in frame.to_dict("records"):
        values = [row[name] for name in ("r", "alpha", "a", "b")]
        missing = any(v is None or pd.isna(v) for v in values)
        parameters[row["fit_scope"]] = None if missing else np.asarray(values, dtype=float)
    return parameters


def curves(points: dict[str, pd.DataFrame], parameters: dict, settings: dict) -> pd.DataFrame:
    """One row per (fit_scope, frequency, age_days): the numerators (null without a fit)."""
    period = float(settings["value_period_days"])
    horizons = {
        "full": settings["value_horizon_days"],
        "calibration": settings["value_holdout_days"],
    }
    frames = []
    for scope in ("calibration", "full"):
        frame = points[scope].copy()
        params = parameters.get(scope)
        x = frame["frequency"].to_numpy(dtype=float)
        age = frame["age_days"].to_numpy(dtype=float) / period
        numerator = np.full(len(frame), np.nan)
        discounted = np.full(len(frame), np.nan)
        if params is not None and len(frame):
            numerator = purchases_numerator(params, x, age, horizons[scope] / period)
            if scope == "full":
                discounted = discounted_numerator(
                    params, x, age, settings["value_months"], MONTH_DAYS / period,
                    settings["value_monthly_discount_rate"],
                )  # fmt: skip
        numerator[~np.isfinite(numerator)] = np.nan
        discounted[~np.isfinite(discounted)] = np.nan
        frame.insert(0, "fit_scope", scope)
        frame["expected_purchases_numerator"] = numerator
        frame["discounted_purchases_numerator"] = discounted
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result["frequency"] = result["frequency"].astype(float)
    result["age_days"] = result["age_days"].astype(float)
    key = result["fit_scope"] + "|" + result["frequency"].map("{:.0f}".format)
    result.insert(0, "curve_id", key + "|" + result["age_days"].map("{:.0f}".format))
    return result


def hand_back(session, frame: pd.DataFrame):
    """DuckDB takes pandas; Snowpark gets upper-case column names (many rows: Snowpark
    uploads them through its usual write path)."""
    if hasattr(session, "execute"):
        return frame
    upper = frame.rename(columns=str.upper)
    return session.create_dataframe(upper.to_dict("split")["data"], list(upper.columns))


def model(dbt, session):
    dbt.config(
        materialized="table",
        python_version="3.11",
        packages=["pandas==2.2.3", "numpy==1.26.4", "scipy==1.13.1"],
    )
    settings = read_settings(
        {
            "value_period_days": dbt.config.get("value_period_days"),
            "value_holdout_days": dbt.config.get("value_holdout_days"),
            "value_horizon_days": dbt.config.get("value_horizon_days"),
            "value_months": dbt.config.get("value_months"),
            "value_monthly_discount_rate": dbt.config.get("value_monthly_discount_rate"),
        }
    )
    summary = dbt.ref("int_segmentation__value_summary")
    points = {scope: distinct_points(summary, scope) for scope in ("calibration", "full")}
    parameters = fit_parameters(dbt.ref("segmentation__value_fit"))
    return hand_back(session, curves(points, parameters, settings))
