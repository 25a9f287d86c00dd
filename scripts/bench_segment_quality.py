"""Segment quality on the scenario suite: does automatic k find planted personas?

    python scripts/bench_segment_quality.py [--customers 4000] [--scenarios a,b] [--work DIR]

Builds every scenario of `segmentation_scenarios` (a generator independent of
the demo's) with the package's default vars plus the scenario's vocabulary
vars, end to end (`dbt build`, every model and test), then prints one row per
scenario: true k, chosen k, ARI with automatic k (the default method), k and
ARI with prediction strength (the alternative method), ARI with k fixed at the
truth, the centroid ceiling (customers put at the nearest TRUE persona mean in
the model's own feature space: the reach of nearest-centroid scoring over its
features), the supervised ceiling (what a classifier told the personas recovers
from the same features), the cluster model's seconds, whether the build was
green, and name problems. The demo (5000 customers, seed 42) is the last row;
then the real CDNOW log (no ground truth): whether it builds green and what
segments it gets.
Figures and the comparison of methods: docs/decisions/0014.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from segmentation_demo.generate import generate  # noqa: E402
from segmentation_demo.load import load  # noqa: E402
from segmentation_scenarios import SCENARIOS  # noqa: E402
from segmentation_scenarios.cdnow import CDNOW_VARS, load_cdnow  # noqa: E402
from segmentation_scenarios.evaluate import (  # noqa: E402
    ASSIGNMENTS,
    FEATURES,
    PROFILES,
    Shop,
    centroid_ceiling,
    frame,
    name_problems,
    prepare,
    run_dbt,
    segment_ari,
    supervised_ceiling,
    truth,
)

TARGETS = {"mean ARI": 0.90, "lowest ARI": 0.75, "exact k": 0.75, "demo ARI": 0.95}


def demo_shop(work: Path) -> Shop:
    data_dir = work / "demo" / "data"
    generate(data_dir, customers=5000, seed=42, fmt="parquet")
    database = work / "demo" / "shop.duckdb"
    database.unlink(missing_ok=True)
    load(data_dir, database)
    # Six buying personas (prospects never order); ground_truth.csv beside the inputs.
    return Shop("demo", data_dir, database, {"true_k": 6, "vars": {}})


def evaluate(shop: Shop, work: Path) -> dict:
    folder = work / shop.name
    build = run_dbt(["build"], shop.database, folder, shop.variables)
    row = {"scenario": shop.name, "true_k": shop.true_k, "green": build.success}
    row["not_passed"] = build.not_passed
    row["fit_s"] = build.node_seconds.get("segmentation__cluster_model", float("nan"))
    row["ari"], row["k"], row["scored"] = segment_ari(shop)
    row["names"] = name_problems(shop) if build.success else ["build not green"]
    features = frame(shop.database, f"select * from {FEATURES}")
    row["ceiling"] = supervised_ceiling(features, truth(shop))
    row["centroid_ceiling"] = centroid_ceiling(shop)
    row["one_time"] = one_time_buyers(shop)
    models = ["--select", "segmentation__cluster_model", "int_segmentation__segment_assignments"]
    for label, extra in (
        ("alternative", {"segmentation__cluster_k_method": "prediction_strength"}),
        ("fixed", {"segmentation__cluster_k": shop.true_k}),
    ):
        refit = run_dbt(["run", *models], shop.database, folder, {**shop.variables, **extra})
        if not refit.success:
            raise RuntimeError(f"{shop.name}: {label} refit failed: {refit.messages}")
        row[f"ari_{label}"], row[f"k_{label}"], _ = segment_ari(shop)
    return row


def one_time_buyers(shop: Shop) -> list[str]:
    """Per segment: name, share of clustered customers, share of it with one order."""
    rows = frame(
        shop.database,
        "select p.segment_id, p.segment_name, p.customer_share, "
        "avg(case when f.order_count = 1 then 1.0 else 0.0 end) as one_time_share "
        f"from {PROFILES} as p join {ASSIGNMENTS} as a on a.segment_id = p.segment_id "
        f"join {FEATURES} as f on f.customer_id = a.customer_id "
        "group by all order by p.customer_share desc",
    )
    return [
        f"segment {r.segment_id} {r.segment_name!r}: {r.customer_share:.0%} of clustered, "
        f"{r.one_time_share:.0%} of it one-time buyers"
        for r in rows.itertuples()
    ]


def real_shop(work: Path) -> None:
    """CDNOW, a real transaction log (no ground truth): green or not, k, the segments."""
    folder = work / "cdnow"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "shop.duckdb"
    database.unlink(missing_ok=True)
    counts = load_cdnow(database)
    build = run_dbt(["build"], database, folder, CDNOW_VARS)
    shop = Shop("cdnow", folder, database, {"true_k": 0, "vars": CDNOW_VARS})
    problems = name_problems(shop) if build.success else ["build not green"]
    print(
        f"\nreal shop CDNOW ({counts['customers']:,} customers, {counts['orders']:,} orders, "
        f"only customers and orders): build {'green' if build.success else 'NOT green'} "
        f"in {build.seconds:.0f} s, names {'ok' if not problems else '; '.join(problems)}"
    )
    for line in one_time_buyers(shop):
        print("    " + line)
    for line in build.not_passed[:6]:
        print("    not passed: " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=4000)
    parser.add_argument("--scenarios", default="", help="comma-separated names (default: all)")
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_quality")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    names = [n for n in args.scenarios.split(",") if n] or list(SCENARIOS)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}")
    print(f"{args.customers:,} customers a shop; default vars plus the shop's vocabulary vars")
    header = (
        f"{'scenario':<22}{'true k':>7}{'k':>4}{'ARI':>7}{'k PS':>6}{'ARI PS':>8}"
        f"{'ARI k=true':>11}{'centroid':>9}{'ceiling':>8}{'fit s':>7}  green  names"
    )
    print(header)
    rows = []
    started = time.perf_counter()
    shops = [(name, lambda name=name: prepare(name, args.work, args.customers)) for name in names]
    if not args.no_demo:
        shops.append(("demo", lambda: demo_shop(args.work)))
    for _, make in shops:
        row = evaluate(make(), args.work)
        rows.append(row)
        print(
            f"{row['scenario']:<22}{row['true_k']:>7}{row['k']:>4}{row['ari']:>7.3f}"
            f"{row['k_alternative']:>6}{row['ari_alternative']:>8.3f}{row['ari_fixed']:>11.3f}"
            f"{row['centroid_ceiling']:>9.3f}{row['ceiling']:>8.3f}{row['fit_s']:>7.1f}"
            f"  {'yes' if row['green'] else 'NO '}"
            f"    {'ok' if not row['names'] else '; '.join(row['names'])}",
            flush=True,
        )
        if row["scenario"] == "retail_realistic":
            print("    " + "\n    ".join(row["one_time"]))
        if not row["green"]:
            print("    not passed: " + "; ".join(row["not_passed"][:6]))
    suite = [r for r in rows if r["scenario"] != "demo"]
    if suite:
        mean = sum(r["ari"] for r in suite) / len(suite)
        lowest = min(suite, key=lambda r: r["ari"])
        exact = sum(r["k"] == r["true_k"] for r in suite) / len(suite)
        base = sum(r["ari_alternative"] for r in suite) / len(suite)
        fixed = sum(r["ari_fixed"] for r in suite) / len(suite)
        ceiling = sum(r["ceiling"] for r in suite) / len(suite)
        centroid = sum(r["centroid_ceiling"] for r in suite) / len(suite)
        centroid_low = min(r["centroid_ceiling"] for r in suite)
        print(
            f"\nsuite of {len(suite)}: mean ARI {mean:.3f} (target >= {TARGETS['mean ARI']}), "
            f"lowest {lowest['ari']:.3f} on {lowest['scenario']} "
            f"(target >= {TARGETS['lowest ARI']}), "
            f"exact k {exact:.0%} (target >= {TARGETS['exact k']:.0%})"
        )
        print(
            f"prediction strength instead: mean ARI {base:.3f}; k fixed at the truth {fixed:.3f}; "
            f"supervised ceiling {ceiling:.3f}"
        )
        print(
            f"nearest true persona mean in the model's space (the reach of nearest-centroid "
            f"scoring over its features): mean {centroid:.3f}, lowest {centroid_low:.3f}"
        )
        green = sum(r["green"] for r in suite)
        named = sum(bool(r["names"]) for r in suite)
        print(f"builds green: {green} of {len(suite)}; scenarios with name problems: {named}")
    if not args.no_demo:
        real_shop(args.work)
    demo = [r for r in rows if r["scenario"] == "demo"]
    if demo:
        print(f"demo ARI {demo[0]['ari']:.3f} (target >= {TARGETS['demo ARI']})")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
