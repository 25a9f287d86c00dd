"""Benchmark the demo data generator at scale and print what it measured.

    python scripts/bench_generate.py [--customers 1000000] [--format parquet]

Prints wall time, peak memory (max RSS) and rows per file, and the machine it
ran on, so the figure in the docs can be reproduced.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segmentation_demo.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--out", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        started = time.perf_counter()
        counts = generate(out, args.customers, args.seed, args.format)
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.iterdir())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"customers {args.customers:,}, seed {args.seed}, format {args.format}")
    for name, rows in counts.items():
        print(f"  {name:<22}{rows:>14,}")
    print(f"wall time {seconds:.1f} s, peak RSS {peak_mib:,.0f} MiB, files {size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
