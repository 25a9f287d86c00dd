"""Runtime of M5 (auto k) vs the baseline model on the nine_personas shop grown by resampling
rows to 25,000 and 1,000,000 customers (fit sample capped at 200,000 rows as in the model)."""
import sys
import m5_fr_fast as M
from common import *
base = load("nine_personas")
for n in (25_000, 1_000_000):
    df = base.sample(n, replace=True, random_state=1).reset_index(drop=True)
    df["customer_id"] = [f"c{i:07d}" for i in range(n)]
    fit_df = df.sort_values("customer_id").head(200_000)    # stand-in for the md5-ordered cap
    t0 = time.perf_counter(); k, lab = M.method(fit_df, None); t1 = time.perf_counter()
    t2 = time.perf_counter(); bk, bl = baseline(fit_df); t3 = time.perf_counter()
    print(f"n={n:>9,}  fit rows {len(fit_df):,}  M5 k={k} {t1 - t0:.1f}s   baseline k={bk} {t3 - t2:.1f}s", flush=True)
