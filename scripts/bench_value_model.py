"""Time the value models (segmentation__value_fit and segmentation__value_curves) at 1M customers.

    python scripts/bench_value_model.py [--customers 1000000] [--work DIR]

Simulates the buy-till-you-die summary of `--customers` customers (BG/NBD purchases and
dropout, Gamma-Gamma spend; daily purchases over two years, first purchases in the first
year, seeded) straight into `int_segmentation__value_summary` of a DuckDB file, then times
`dbt run --select segmentation__value_fit` and `segmentation__value_curves` (dbt's node time
and the wall time of the call) with the default vars: weeks, a 180-day holdout, the fit on the
first 250,000 customers by md5(customer_id) (segmentation__value_max_fit_rows), two fits
(calibration and full). Target (issue 18): the fit <= 30 s at 1M customers on 2 cores.
Prints the fitted parameters beside the simulated ones (weeks) as a sanity check.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from segmentation_scenarios.evaluate import run_dbt  # noqa: E402

SUMMARY = "main_segmentation_intermediate.int_segmentation__value_summary"
FIT = "main_segmentation.segmentation__value_fit"
# Simulated truth, in days (alpha 4.4 weeks as in CDNOW, a livelier shop).
TRUTH = {"r": 0.5, "alpha": 30.0, "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 15.0}
HISTORY_DAYS, FIRST_DAYS, HOLDOUT_DAYS = 730, 365, 180
AS_OF = pd.Timestamp("2026-06-30")
# Every run fits: the refit policy would keep the first run's fit (docs/decisions/0023).
REFIT = {"segmentation__refit": True}


def simulate(n: int, seed: int = 42) -> pd.DataFrame:
    """The summary columns of int_segmentation__value_summary for n simulated customers."""
    rng = np.random.default_rng(seed)
    t = TRUTH
    first = rng.integers(0, FIRST_DAYS, n)
    rate = rng.gamma(t["r"], 1 / t["alpha"], n)
    dropout = rng.beta(t["a"], t["b"], n)
    scale = rng.gamma(t["q"], 1 / t["gamma"], n)  # each customer's spend rate
    cal_end = HISTORY_DAYS - HOLDOUT_DAYS
    day = first.astype(float)
    last_day = first.copy()
    alive = np.ones(n, dtype=bool)  # BG/NBD: dropout only after a repeat purchase
    count = np.zeros(n)
    count_cal = np.zeros(n)
    last_cal = first.copy()
    spend = np.zeros(n)
    spend_cal = np.zeros(n)
    holdout = np.zeros(n)
    while alive.any():
        day = day + rng.exponential(1 / np.maximum(rate, 1e-12))
        whole = np.floor(day).astype(int)
        buys = alive & (whole <= HISTORY_DAYS) & (whole > last_day)  # a new purchase day
        amount = rng.gamma(t["p"], 1 / scale)
        count += buys
        spend += np.where(buys, amount, 0.0)
        in_cal = buys & (whole <= cal_end)
        count_cal += in_cal
        spend_cal += np.where(in_cal, amount, 0.0)
        last_cal = np.where(in_cal, whole, last_cal)
        holdout += buys & (whole > cal_end)
        last_day = np.where(buys, whole, last_day)
        alive &= (whole <= HISTORY_DAYS) & (rng.random(n) > np.where(buys, dropout, 0.0))
    is_cal = first <= cal_end
    return pd.DataFrame(
        {
            "customer_id": [f"c{i:07d}" for i in range(n)],
            "frequency": count,
            "recency_days": (last_day - first).astype(float),
            "age_days": (HISTORY_DAYS - first).astype(float),
            "monetary_value": np.where(count > 0, spend / np.maximum(count, 1), 0.0),
            "total_spend": spend + rng.gamma(t["p"], 1 / scale),
            "frequency_cal": np.where(is_cal, count_cal, np.nan),
            "recency_cal_days": np.where(is_cal, last_cal - first, np.nan),
            "age_cal_days": np.where(is_cal, cal_end - first, np.nan),
            "monetary_value_cal": np.where(
                is_cal, np.where(count_cal > 0, spend_cal / np.maximum(count_cal, 1), 0.0), np.nan
            ),
            "holdout_purchases": np.where(is_cal, holdout, np.nan),
            "is_in_calibration": is_cal,
            # The dates the fit records (the refit policy's schedule, docs/decisions/0023).
            "calibration_end_date": AS_OF - pd.Timedelta(days=HOLDOUT_DAYS),
            "as_of_date": AS_OF,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_value")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    database = args.work / "bench_value.duckdb"
    started = time.perf_counter()
    summary = simulate(args.customers)
    with duckdb.connect(str(database)) as con:
        con.execute("create schema main_segmentation_intermediate")
        con.register("summary_frame", summary)
        con.execute(f"create table {SUMMARY} as select * from summary_frame")
    print(
        f"{args.customers:,} customers simulated and loaded "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for model in ("segmentation__value_fit", "segmentation__value_curves"):
        for label in ("first", "second"):
            began = time.perf_counter()
            run = run_dbt(["run", "--select", model], database, args.work, REFIT)
            wall = time.perf_counter() - began
            if not run.success:
                raise RuntimeError("; ".join(run.messages))
            print(
                f"{args.customers:>9,} customers ({label} run): "
                f"{model} {run.node_seconds[model]:.1f} s "
                f"(dbt call {wall:.1f} s)"
            )
    with duckdb.connect(str(database)) as con:
        fits = con.execute(
            f"select fit_scope, sample_size, r, alpha, a, b, p, q, gamma from {FIT} order by 1"
        ).fetchall()
    truth = {**TRUTH, "alpha": TRUTH["alpha"] / 7}
    print("simulated: " + ", ".join(f"{k} {v:.3f}" for k, v in truth.items()) + " (weeks)")
    for scope, sample, *values in fits:
        names = ("r", "alpha", "a", "b", "p", "q", "gamma")
        shown = ", ".join(f"{k} {v:.3f}" for k, v in zip(names, values, strict=True))
        print(f"{scope} fit on {sample:,} customers: {shown}")


if __name__ == "__main__":
    main()
