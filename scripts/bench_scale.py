"""The side-by-side benchmark of issue 15: the package's full build against a pandas +
scikit-learn notebook and hand-written DuckDB SQL, on the same files in one run.

    python scripts/bench_scale.py [--customers 100000 1000000] [--work DIR] [--no-docs]

For each size: generates the inputs once (parquet, seed 42; reused when the work
dir's manifest matches), then runs each contender in its own child process and
samples the resident memory of the child's whole process tree (the sum of VmRSS
over the child and its descendants, every 0.1 s):

1. package: load the files into a fresh DuckDB file (segmentation_demo.load), then
   `dbt build` (every model, snapshot, seed and test), threads 2;
2. notebook: scripts/baselines/notebook_pandas.py (validation, every feature
   family, the same fit, nearest-centroid assignment in numpy);
3. sql: scripts/baselines/handwritten_duckdb.py (the same features and fit, no
   validation, assignment in SQL).

Prints wall time and peak RSS per contender with the ratios, the package's time per
layer (node execution times summed from run_results.json; nodes run two at a time,
so the sum exceeds the wall time) and its 10 slowest nodes, and a check that the
contenders agree (customers, orders, k, segment sizes, feature means). Writes the
results into docs/benchmarks.md, one section per size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "baselines"))

from bench_common import dbt_command, write_profile  # noqa: E402
from fit_common import SUMMARY_FEATURES  # noqa: E402

from segmentation_demo.generate import generate  # noqa: E402

BASELINES = ROOT / "scripts" / "baselines"
DOCS = ROOT / "docs" / "benchmarks.md"
CONTENDERS = ("package", "notebook", "sql")
# Agreement: counts within 0.1% (the SQL baseline does not validate, so a few planted
# bad rows stay in), means within 1%; k must be equal.
COUNT_TOLERANCE, MEAN_TOLERANCE = 1e-3, 1e-2
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- measuring a process tree ------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/<pid>/stat."""
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree[parent].append(int(entry))
    return tree


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    tree, total, stack = _children(), 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(tree.get(current, []))
        try:
            with open(f"/proc/{current}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


class Measured:
    """A child process run to completion: wall seconds, peak tree RSS, output."""

    def __init__(self, command: list[str], env: dict | None = None) -> None:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.peak = 0
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                self.peak = max(self.peak, tree_rss(process.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        self.stdout, self.stderr = process.communicate()
        done.set()
        sampler.join()
        self.seconds = time.perf_counter() - started
        self.returncode = process.returncode

    def check(self, name: str) -> None:
        if self.returncode != 0:
            print(self.stdout[-4000:], self.stderr[-4000:])
            raise SystemExit(f"{name} failed (exit {self.returncode})")


# --- the contenders ------------------------------------------------------------


def layer(node: dict) -> str:
    """The layer a manifest node belongs to, for the time-per-layer table."""
    kind = node["resource_type"]
    if kind in ("test", "unit_test"):
        return "tests"
    if kind in ("snapshot", "seed"):
        return kind + "s"
    if kind == "operation":
        return "hooks"
    if node.get("language") == "python":
        return "python model"
    parts = Path(node["original_file_path"]).parts
    if parts[:2] == ("models", "staging"):
        return "staging/base" if "base" in parts else "staging"
    if parts[:2] == ("models", "intermediate"):
        return "/".join(parts[1:3])
    return parts[1] if len(parts) > 2 else parts[0]


def find_table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    [(schema,)] = con.execute(
        "select table_schema from information_schema.tables where table_name = ?", [name]
    ).fetchall()
    return f'"{schema}"."{name}"'


def package_summary(database: Path) -> dict:
    with duckdb.connect(str(database), read_only=True) as con:
        features = find_table(con, "segmentation__customer_features")
        means = ", ".join(f"avg({c}::double)" for c in SUMMARY_FEATURES)
        row = con.execute(
            f"select count(*), count(*) filter (order_count >= 1), {means} from {features}"
        ).fetchone()
        [(orders,)] = con.execute(
            f"select count(*) from {find_table(con, 'stg_segmentation__orders')}"
        ).fetchall()
        model = find_table(con, "segmentation__cluster_model")
        sizes = con.execute(f"select segment_fit_size, k from {model}").fetchall()
        assignments = find_table(con, "int_segmentation__segment_assignments")
        assigned = con.execute(
            f"select count(*) from {assignments} where segment_id is not null group by segment_id"
        ).fetchall()
        rejected = con.execute(
            f"select count(*) from {find_table(con, 'segmentation__rejected_rows')}"
        ).fetchall()
    return {
        "customers": row[0], "orders": orders, "eligible_customers": row[1],
        "k": sizes[0][1], "segment_sizes": sorted(n for (n,) in assigned),
        "means": dict(zip(SUMMARY_FEATURES, row[2:], strict=True)),
        "rejected_rows": rejected[0][0],
    }  # fmt: skip


def run_package(data: Path, work: Path, memory_limit: str) -> dict:
    database = work / "package.duckdb"
    database.unlink(missing_ok=True)
    Path(f"{database}.wal").unlink(missing_ok=True)
    write_profile(work, database, memory_limit)
    # A full parse every time (as on a fresh checkout or in CI), so runs are comparable.
    (work / "target" / "partial_parse.msgpack").unlink(missing_ok=True)
    load = [sys.executable, "-m", "segmentation_demo.load", "--data", str(data),
            "--database", str(database)]  # fmt: skip
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONPATH": str(ROOT)}  # fmt: skip
    # The load stands for data already in the warehouse: timed and measured apart,
    # so the wall time and peak memory reported are those of `dbt build` alone.
    loaded = Measured(load, env)
    loaded.check("package load")
    run = Measured(dbt_command(work, "build"), env)
    run.check("package")
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    nodes = json.loads((work / "target" / "manifest.json").read_text())
    nodes = {**nodes["nodes"], **nodes.get("unit_tests", {})}
    layers: dict[str, float] = defaultdict(float)
    timed, moments = [], []
    for result in results:
        for step in result["timing"]:
            moments += [datetime.fromisoformat(step[k]) for k in ("started_at", "completed_at")]
        node = nodes.get(result["unique_id"])
        name = layer(node) if node else result["unique_id"].split(".")[0] + "s"  # exposures
        layers[name] += result["execution_time"]
        timed.append((result["execution_time"], result["unique_id"], name))
    return {
        "seconds": run.seconds, "peak": run.peak,
        "load_seconds": loaded.seconds, "load_peak": loaded.peak,
        "nodes_seconds": (max(moments) - min(moments)).total_seconds(),
        "layers": dict(layers), "slowest": sorted(timed, reverse=True)[:10],
        "nodes": len(results), "summary": package_summary(database),
    }  # fmt: skip


def run_baseline(script: str, data: Path) -> dict:
    run = Measured([sys.executable, str(BASELINES / script), "--data", str(data)])
    run.check(script)
    return {"seconds": run.seconds, "peak": run.peak,
            "summary": json.loads(run.stdout.strip().splitlines()[-1])}  # fmt: skip


# --- reporting -----------------------------------------------------------------


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (its details stand for the contender), with every
    run's wall time and the highest peak of all."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["all_seconds"] = [run["seconds"] for run in runs]
    chosen["peak"] = max(run["peak"] for run in runs)
    return chosen


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or platform.machine())  # fmt: skip
    kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("dbt-core", "dbt-duckdb", "duckdb", "pandas", "scikit-learn")
    )
    return (f"{cpu}, {os.cpu_count()} cores, {kib / 2**20:.1f} GiB RAM, "
            f"Python {platform.python_version()}, {versions}")  # fmt: skip


def agreement(results: dict[str, dict]) -> list[str]:
    """Lines comparing the contenders' summaries with the package's; 'DIFF' marks a miss."""
    reference = results["package"]["summary"]
    lines = []
    rows = [("customers", "customers"), ("orders", "orders"), ("eligible", "eligible_customers")]
    for label, key in rows:
        values = {name: r["summary"][key] for name, r in results.items()}
        ok = all(
            abs(v - reference[key]) <= COUNT_TOLERANCE * reference[key] for v in values.values()
        )
        lines.append(f"  {label:<30}" + "".join(f"{v:>16,}" for v in values.values())
                     + ("" if ok else "   DIFF"))  # fmt: skip
    ks = {name: r["summary"]["k"] for name, r in results.items()}
    lines.append(f"  {'k':<30}" + "".join(f"{v:>16}" for v in ks.values())
                 + ("" if len(set(ks.values())) == 1 else "   DIFF"))  # fmt: skip
    for feature in SUMMARY_FEATURES:
        values = {name: r["summary"]["means"][feature] for name, r in results.items()}
        ok = all(abs(v - reference["means"][feature]) <= MEAN_TOLERANCE * abs(
            reference["means"][feature]) for v in values.values())  # fmt: skip
        lines.append(f"  {'mean ' + feature:<30}" + "".join(f"{v:>16.4f}" for v in values.values())
                     + ("" if ok else "   DIFF"))  # fmt: skip
    for name, r in results.items():
        lines.append(f"  segment sizes {name:<16}{r['summary']['segment_sizes']}")
    return lines


def report(
    customers: int, rows: dict, results: dict[str, dict], command: str, note: str = ""
) -> str:
    """The benchmark's section as Markdown (also printed)."""
    gib = 2**30
    package = results.get("package")
    out = [f"## {customers:,} customers", "",
           f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.", "",
           f"Command: `{command}`", "", *([note, ""] if note else []),
           "Inputs: " + ", ".join(f"{name} {n:,}" for name, n in rows.items()) + " rows.", "",
           "| contender | wall s (median) | each run s | peak RSS GB (max) "
           "| package / this (time) | package / this (memory) |",
           "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in results.items():
        ratio_t = f"{package['seconds'] / r['seconds']:.2f}" if package else ""
        ratio_m = f"{package['peak'] / r['peak']:.2f}" if package else ""
        each = ", ".join(f"{seconds:.1f}" for seconds in r.get("all_seconds", [r["seconds"]]))
        peak = f"{r['peak'] / gib:.2f}"
        out.append(f"| {name} | {r['seconds']:.1f} | {each} | {peak} | {ratio_t} | {ratio_m} |")
    if package:
        build = package["seconds"]
        out += ["", f"Package: `dbt build` of "
                f"{package['nodes']} nodes {build:.1f} s: dbt start-up and full parse "
                f"{build - package['nodes_seconds']:.1f} s, first node start to last node end "
                f"{package['nodes_seconds']:.1f} s (the load of the files into DuckDB before it, "
                f"not counted: {package['load_seconds']:.1f} s, "
                f"peak {package['load_peak'] / gib:.2f} GB). "
                "Node time per layer (summed; two threads):", "",
                "| layer | s |", "|---|---:|"]  # fmt: skip
        for name, seconds in sorted(package["layers"].items(), key=lambda item: -item[1]):
            out.append(f"| {name} | {seconds:.1f} |")
        out += ["", "Ten slowest nodes:", "", "| node | layer | s |", "|---|---|---:|"]
        for seconds, unique_id, name in package["slowest"]:
            out.append(f"| `{unique_id.split('.', 2)[-1]}` | {name} | {seconds:.1f} |")
        out += ["", "Agreement (package, " + ", ".join(n for n in results if n != "package")
                + "); DIFF marks a count off by more than 0.1% or a mean by more than 1%:", "",
                "```", *agreement(results), "```"]  # fmt: skip
    return "\n".join(out) + "\n"


DOCS_HEADER = """# Benchmarks

The side-by-side benchmark of issue 15 (`scripts/bench_scale.py`, the last step of
`make bench`): the package's full `dbt build` against what a data scientist would
write instead, on the same generated files (seed 42) in one run, each contender in
its own child process, peak RSS summed over the child's process tree.

- **package**: load the six input files into a fresh DuckDB file, then `dbt build`:
  validation with the rejected-rows audit, features, the cluster fit, SQL scoring,
  profiles and names, marts with contracts, the membership snapshot, activation,
  and every data and unit test (threads 2, no DuckDB setting in the profile: the
  package's own apply). Wall time and peak memory are the build's; the load of the
  files into DuckDB before it is reported apart.
- **notebook** (`scripts/baselines/notebook_pandas.py`): pandas + scikit-learn;
  the same validation kinds (counted, no audit table), every feature family of
  `segmentation__customer_features` plus the category affinities and declared
  attributes, the same fit (the cluster model's own functions), nearest-centroid
  assignment in numpy. No profiles, names, marts, history, activation or tests.
- **sql** (`scripts/baselines/handwritten_duckdb.py`): one DuckDB connection on the
  parquet files; the same features in a few passes, the same fit, assignment in
  SQL. **No validation**: rows whose required fields do not cast or lie in the
  future are dropped, nothing else; duplicates stay in. No profiles, names, marts,
  history, activation or tests.

The agreement block shows that the three compute the same thing: counts, the
chosen k, segment sizes and the means of eight features.
"""


def write_docs(customers: int, section: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else DOCS_HEADER
    begin, end = f"<!-- bench_scale {customers} -->", f"<!-- /bench_scale {customers} -->"
    block = f"{begin}\n{section}{end}\n"
    if begin in text:
        text = re.sub(re.escape(begin) + r".*?" + re.escape(end) + r"\n", lambda _: block, text,
                      flags=re.S)  # fmt: skip
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOCS.write_text(text)


def inputs(work: Path, customers: int, seed: int) -> tuple[Path, dict]:
    data = work / f"data_{customers}_{seed}"
    manifest = data / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if (
            saved["customers"] == customers
            and saved["seed"] == seed
            and saved["format"] == "parquet"
        ):
            return data, saved["rows"]
    started = time.perf_counter()
    rows = generate(data, customers, seed, "parquet")
    print(f"generated {customers:,} customers in {time.perf_counter() - started:.0f} s")
    return data, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_scale")
    parser.add_argument(
        "--memory-limit", default=None, help="DuckDB memory_limit in the profile (default: none)"
    )
    parser.add_argument("--contenders", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the median is reported")
    parser.add_argument("--note", default="", help="a line for the docs (e.g. a busy machine)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for customers in args.customers:
        work = args.work / str(customers)
        work.mkdir(parents=True, exist_ok=True)
        data, rows = inputs(args.work, customers, args.seed)
        runs: dict[str, list[dict]] = defaultdict(list)
        # Rounds interleave the contenders, so a slow spell of the machine hits all alike.
        for _ in range(args.repeat):
            for name in args.contenders:
                if name == "package":
                    run = run_package(data, work, args.memory_limit)
                else:
                    script = "notebook_pandas.py" if name == "notebook" else "handwritten_duckdb.py"
                    run = run_baseline(script, data)
                runs[name].append(run)
                print(f"{name}: {run['seconds']:.1f} s, peak RSS {run['peak'] / 2**30:.2f} GB",
                      flush=True)  # fmt: skip
        results = {name: median_run(found) for name, found in runs.items()}
        command = f"python scripts/bench_scale.py --customers {customers}"
        if args.repeat > 1:
            command += f" --repeat {args.repeat}"
        section = report(customers, rows, results, command, args.note)
        print(section)
        if not args.no_docs and "package" in results:
            write_docs(customers, section)


if __name__ == "__main__":
    main()
