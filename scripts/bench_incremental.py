"""What a daily run costs (issue 16): a full build, then an unchanged rerun, then a
rerun after about 1 % new orders (with their lines) and events, on the files of
the side-by-side benchmark (scripts/bench_scale.py, seed 42).

    python scripts/bench_incremental.py [--customers 100000 1000000] [--work DIR] [--no-docs]

Each build is `dbt build` of everything with every test, threads 2, a full parse
each time (as a scheduled job in a fresh container does), timed with the peak RSS
of its process tree. The new day's rows are accepted rows of the inputs copied to
the day after the as-of date, keeping their time of day, with new order ids and
session ids: 1 % of the orders (by a hash of the id, so the same ones every run)
with their lines, and 1 % of the events. The as-of date moves one day, as it does
in a daily run. Targets of issue 16: the rerun after 1 % new data at most 15 % of the
full build, the unchanged rerun at most 5 %.

Then, on the same database in the same run, the floor of any build that parses in full
and runs every test: `dbt parse` alone, and `dbt test` alone (a full parse, then every
data and unit test, no model built).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_common import dbt_command  # noqa: E402
from bench_scale import Measured, find_table, inputs, machine, run_package  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
NEW_SHARE = 100  # one row in NEW_SHARE is copied to the new day
TARGETS = {"unchanged": 0.05, "one_percent": 0.15}
# The incremental feature state (docs/decisions/0025): customers each rerun recomputed.
STATE_MODELS = ("int_segmentation__customer_events", "int_segmentation__order_habits")


def dbt(work: Path, database: Path, *args: str) -> Measured:
    """`dbt <args>` with a full parse (no partial-parse file kept), timed."""
    (work / "target" / "partial_parse.msgpack").unlink(missing_ok=True)
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(database),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONPATH": str(ROOT)}  # fmt: skip
    run = Measured(dbt_command(work, *args), env)
    run.check(" ".join(args))
    return run


def rerun(work: Path, database: Path, name: str) -> Measured:
    started = datetime.now(UTC).replace(tzinfo=None)
    run = dbt(work, database, "build")
    print(f"{name}: {run.seconds:.1f} s", flush=True)
    with duckdb.connect(str(database), read_only=True) as con:
        for model in STATE_MODELS:
            table = find_table(con, model)
            [(recomputed, total)] = con.execute(
                f"select count(*) filter (where computed_at >= ?), count(*) from {table}", [started]
            ).fetchall()
            print(f"  {model}: {recomputed:,} of {total:,} customers recomputed", flush=True)
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    slowest = sorted(results, key=lambda result: -result["execution_time"])[:12]
    names = [f"{r['unique_id'].split('.')[-1][:48]} {r['execution_time']:.1f}" for r in slowest]
    print("  slowest nodes: " + ", ".join(names), flush=True)
    return run


def add_new_day(database: Path) -> dict[str, int]:
    """Copies about 1 % of the accepted orders (with their lines) and events to the day
    after the as-of date; returns the rows added per input."""
    with duckdb.connect(str(database)) as con:
        [(as_of,)] = con.execute(
            f"select as_of_date from {find_table(con, 'int_segmentation__as_of')}"
        ).fetchall()
        new_day = as_of.toordinal() + 1
        if new_day > date.today().toordinal():
            raise SystemExit(f"the as-of date {as_of} is today or later: no new day to add")
        day = date.fromordinal(new_day).isoformat()
        orders = find_table(con, "stg_segmentation__orders")
        events = find_table(con, "stg_segmentation__events")
        moved = "strftime(cast(? as date) + ({0} - date_trunc('day', {0})), '%Y-%m-%d %H:%M:%S')"
        con.execute(
            "create temp table new_orders as select order_id from "
            f"{orders} where hash(order_id) % {NEW_SHARE} = 0"
        )
        added = {}
        con.execute(
            "insert into segmentation_raw.orders select 'N' || o.order_id, o.customer_id, "
            f"{moved.format('o.ordered_at')}, cast(o.order_total as varchar), "
            "cast(o.discount_total as varchar), o.channel, o.status "
            f"from {orders} as o semi join new_orders using (order_id)",
            [day],
        )
        added["orders"] = con.execute("select count(*) from new_orders").fetchone()[0]
        added["order_items"] = con.execute(
            "insert into segmentation_raw.order_items select 'N' || i.order_id, i.product_id, "
            "i.category, i.quantity, i.unit_price from segmentation_raw.order_items as i "
            "semi join new_orders using (order_id)"
        ).fetchone()[0]
        added["events"] = con.execute(
            "insert into segmentation_raw.events select e.customer_id, "
            f"{moved.format('e.occurred_at')}, e.event_type, 'N' || e.session_id, e.device_type, "
            f"e.os, e.browser, e.platform from {events} as e "
            f"where hash(e.customer_id, e.occurred_at) % {NEW_SHARE} = 0",
            [day],
        ).fetchone()[0]
    return added


def report(customers: int, full: dict, runs: dict[str, Measured], added: dict) -> str:
    full_seconds = full["seconds"]
    names = {
        "unchanged": ("unchanged rerun", TARGETS["unchanged"]),
        "new": ("rerun after ~1 % new data", TARGETS["one_percent"]),
        "parse": ("floor: `dbt parse` alone", None),
        "test": ("floor: `dbt test` alone (parse + every test)", None),
    }
    rows = [("full build", full_seconds, full["peak"], None)] + [
        (name, runs[key].seconds, runs[key].peak, target) for key, (name, target) in names.items()
    ]
    lines = [
        f"## {customers:,} customers",
        "",
        f"Measured {date.today().isoformat()} on {machine()}.",
        "",
        f"Command: `python scripts/bench_incremental.py --customers {customers}`",
        "",
        "New day: " + ", ".join(f"{name} {count:,}" for name, count in added.items()) + " rows.",
        "",
        "| build | wall s | peak RSS GB | share of the full build | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, seconds, peak, target in rows:
        share = f"{seconds / full_seconds:.0%}"
        target_text = f"<= {target:.0%}" if target else ""
        lines.append(f"| {name} | {seconds:.1f} | {peak / 2**30:.2f} | {share} | {target_text} |")
    return "\n".join(lines) + "\n"


def write_docs(customers: int, section: str) -> None:
    text = DOCS.read_text()
    begin = f"<!-- bench_incremental {customers} -->"
    end = f"<!-- /bench_incremental {customers} -->"
    block = f"{begin}\n{section}{end}\n"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end + "\n", 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_scale")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for customers in args.customers:
        work = args.work / f"{customers}_incremental"
        work.mkdir(parents=True, exist_ok=True)
        data, _ = inputs(args.work, customers, args.seed)
        full = run_package(data, work, None)
        print(f"full build: {full['seconds']:.1f} s", flush=True)
        database = work / "package.duckdb"
        runs = {"unchanged": rerun(work, database, "unchanged rerun")}
        added = add_new_day(database)
        runs["new"] = rerun(work, database, f"rerun after {added}")
        with duckdb.connect(str(database), read_only=True) as con:
            [(accepted,)] = con.execute(
                f"select count(*) from {find_table(con, 'stg_segmentation__orders')} "
                "where order_id like 'N%'"
            ).fetchall()
        if accepted != added["orders"]:
            raise SystemExit(f"{added['orders']} new orders added, {accepted} accepted")
        for step in ("parse", "test"):
            runs[step] = dbt(work, database, step)
            print(f"{step} alone: {runs[step].seconds:.1f} s", flush=True)
        section = report(customers, full, runs, added)
        print(section)
        if not args.no_docs:
            write_docs(customers, section)


if __name__ == "__main__":
    main()
