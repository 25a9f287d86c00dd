"""Benchmark the activation layer (labels snapshot, history, sync feeds,
audiences, campaign effectiveness) over three builds and print what it measured.

    python scripts/bench_activation.py [--customers 100000] [--work DIR]

Generates the inputs (parquet), loads them into a fresh DuckDB file and runs
`dbt build` three times: on the data as generated, after adding about 1% new
orders (inside the old as-of date), and once more unchanged. For each build it
prints the wall time, the time of each activation node (from run_results.json),
the snapshot's size and the changes the build recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import dbt_command, write_profile  # noqa: E402

from segmentation_demo.generate import generate  # noqa: E402
from segmentation_demo.load import load  # noqa: E402

ACTIVATION = (
    "int_segmentation__custom_audience_members",
    "int_segmentation__customer_labels",
    "segmentation__customer_labels_snapshot",
    "int_segmentation__audience_catalog",
    "segmentation__segment_membership_history",
    "segmentation__sync_changes",
    "segmentation__segment_transitions",
    "segmentation__audience_memberships",
    "segmentation__audiences",
    "segmentation__sync_current_state",
    "segmentation__campaign_effectiveness",
)


def build(args: argparse.Namespace, database: Path) -> float:
    command = dbt_command(args.work, "build")
    environment = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database)}
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:])
        sys.exit(result.returncode)
    print(f"  {result.stdout.strip().splitlines()[-1]}")
    return seconds


def report(args: argparse.Namespace, database: Path, what: str, seconds: float) -> None:
    results = json.loads((args.work / "target" / "run_results.json").read_text())["results"]
    timings = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    print(f"{what}: dbt build {seconds:.1f} s; activation nodes:")
    for name in ACTIVATION:
        print(f"  {name:<46}{timings.get(name, float('nan')):>8.2f} s")
    print(f"  {'all activation nodes':<46}{sum(timings.get(n, 0) for n in ACTIVATION):>8.2f} s")
    with duckdb.connect(str(database), read_only=True) as con:
        [(versions,)] = con.execute(
            "select count(*) "
            "from main_segmentation_snapshots.segmentation__customer_labels_snapshot"
        ).fetchall()
        changes = con.execute(
            "select change_type, count(*) from main_segmentation.segmentation__sync_changes "
            "where changed_at = (select max(segmented_at) "
            "from main_segmentation.segmentation__customer_segments_v1) group by all order by 1"
        ).fetchall()
    print(f"  snapshot versions {versions:,}; this build's changes: {dict(changes) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_activation")
    parser.add_argument(
        "--memory-limit", default=None, help="DuckDB memory_limit in the profile (default: none)"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data, database = args.work / "data", args.work / "bench.duckdb"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if not (data / "manifest.json").exists():
        generate(data, args.customers, args.seed, "parquet")
    database.unlink(missing_ok=True)
    load(data, database)
    write_profile(args.work, database, args.memory_limit)

    report(args, database, "first build", build(args, database))
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            insert into segmentation_raw.orders
            select 'N' || order_id, customer_id, '2026-06-01 12:00:00', order_total,
                   discount_total, channel, status
            from segmentation_raw.orders
            where order_id like 'O0%' and hash(order_id) % 100 = 0
            """
        )
    report(args, database, "after ~1% new orders", build(args, database))
    report(args, database, "unchanged data", build(args, database))


if __name__ == "__main__":
    main()
