"""Benchmark the feature build at scale and print what it measured.

    python scripts/bench_features.py [--customers 1000000] [--work DIR]

Generates the inputs (parquet), loads them into a fresh DuckDB file, then runs
`dbt build --select +segmentation__customer_features` (models and their tests)
in a child process, and prints the wall time of each step, the peak memory of
the dbt process and the rows per input.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_common import dbt_command, write_profile  # noqa: E402

from segmentation_demo.generate import generate  # noqa: E402
from segmentation_demo.load import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench")
    parser.add_argument("--select", default="+segmentation__customer_features")
    parser.add_argument(
        "--memory-limit", default=None, help="DuckDB memory_limit in the profile (default: none)"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data, database = args.work / "data", args.work / "bench.duckdb"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    started = time.perf_counter()
    if not (data / "manifest.json").exists():
        generate(data, args.customers, args.seed, "parquet")
    print(f"generate: {time.perf_counter() - started:.1f} s")

    database.unlink(missing_ok=True)
    started = time.perf_counter()
    counts = load(data, database)
    print(f"load into DuckDB: {time.perf_counter() - started:.1f} s")
    for name, rows in counts.items():
        print(f"  {name:<22}{rows:>14,}")

    write_profile(args.work, database, args.memory_limit)
    command = dbt_command(
        args.work, "build", "--select", args.select, "--indirect-selection", "cautious"
    )
    environment = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database)}
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:])
    print(result.stdout.strip().splitlines()[-1] if result.stdout else result.stderr)
    print(f"dbt build --select {args.select}: {seconds:.1f} s, peak RSS of dbt {peak_mib:,.0f} MiB")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
