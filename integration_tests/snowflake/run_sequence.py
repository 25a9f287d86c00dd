"""The "incremental equals full" sequence test on emulated Snowflake (fakesnow, dbt-snowflake).

    .venv-fakesnow/bin/python integration_tests/snowflake/run_sequence.py \
        --data target/sequence/data --python-models target/sequence/seq.duckdb

The DuckDB variant is tests/python/test_incremental_sequence.py; docs/incremental.md
says what both prove. Here, on a fakesnow server on loopback (stopped at the end):

1. the base shop of --data is loaded as SEGMENTATION_CI.SEGMENTATION_RAW (as
   run_fakesnow.py loads it) and `loaded_at` added to orders, order_items, events and
   marketing_touches (--events-without-loaded-at leaves it off events: the lookback path);
2. the wrapper project here is built (`dbt build`), then for each day of
   segmentation_demo/daily_batches.py: the batch is applied to the raw tables, the
   database is built incrementally, copied on the server (every table of every schema,
   into SEQUENCE_FULL_D<day>), the copy built with `dbt build --full-refresh`, and every
   public mart compared row for row between the two (scripts/incremental_sequence.py),
   and the day's own facts checked on the incremental database (the feature state
   models' recomputed customers among them); on the unchanged last
   day every mart must equal the day before's. --full-refresh-days limits the full
   rebuilds to some days (make snowflake-test: 4, to keep lane B short, day 5 then
   compared with day 4's; make bench: every day); every day is still built
   incrementally and its facts checked.

What cannot run here, and why: fakesnow has no Snowpark, so the Python models (the
cluster fit and the value models) are not run. Their tables are the DuckDB build of the
base data given by --python-models (made by `scripts/incremental_sequence.py base`),
copied in on every build of both sides (macros/python_model_fixture.sql): on fakesnow
the fit stays the base day's, as the refit policy keeps it when nothing asks for a
refit. So the fits' incremental-vs-full equality is proven on DuckDB only; here every
SQL model is: staging's incremental path, the features, the SQL scoring, the snapshot
and the activation marts. Data and unit tests are left out of these builds
(--exclude-resource-type test unit_test): run_fakesnow.py runs them all on fakesnow,
and with them each build here took about twice as long.

Doubles are compared to about 7 significant digits here (4-byte floats): a float sum on
Snowflake is not reproducible to the last bit (the order of its parallel aggregation
varies), and neither is fakesnow's plain DuckDB sum: day 3 differed in the 16th digit of
monetary_value. On DuckDB the package's exact sums make builds bit-identical, and the
DuckDB variant compares every double exactly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import snowflake.connector

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import incremental_sequence as sequence  # noqa: E402
import run_fakesnow  # noqa: E402
from mart_fingerprints import public_marts  # noqa: E402
from run_fakesnow import DATABASE, RAW_SCHEMA, Failure, dbt  # noqa: E402

from segmentation_demo.daily_batches import DAYS, Batches  # noqa: E402

MARTS_SCHEMA = "CI_SEGMENTATION"
BUILD = ["build", "--exclude-resource-type", "test", "unit_test"]


def copy_database(duck, connection_kwargs: dict, source: str, target: str) -> None:
    """Every table of `source` into a new database `target` on the server. Views are left
    out: the --full-refresh build makes them again (and they name `source`)."""
    with snowflake.connector.connect(**connection_kwargs) as con:
        con.cursor().execute(f"create database {target}")
    tables = duck.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? "
        "and schema_name not like '\\_fs%' escape '\\' order by all",
        [source],
    ).fetchall()
    for schema in sorted({schema for schema, _ in tables}):
        duck.execute(f'create schema if not exists "{target}"."{schema}"')
    for schema, table in tables:
        duck.execute(
            f'create table "{target}"."{schema}"."{table}" as '
            f'select * from "{source}"."{schema}"."{table}"'
        )
    for name, body in run_fakesnow.MISSING_FUNCTIONS.items():
        duck.execute(f'create or replace macro "{target}".main.{name}(val) as {body}')


def run(args: argparse.Namespace) -> None:
    python_models = args.python_models.resolve()
    if not python_models.exists():
        raise Failure(
            f"no DuckDB build at {python_models}: make it with "
            "`.venv/bin/python scripts/incremental_sequence.py base --out target/sequence`"
        )
    marts = public_marts(ROOT)
    timings: dict[str, float] = {}
    started = time.monotonic()
    with run_fakesnow.start_server(port=args.port or None) as connection_kwargs:
        server_module = sys.modules["fakesnow.server"]
        for name in ("uvicorn.access", "uvicorn.error", "fakesnow.server", "sqlglot"):
            logging.getLogger(name).setLevel(logging.WARNING)
        duck = server_module.shared_fs.duck_conn.cursor()
        run_fakesnow.load_inputs(connection_kwargs, duck, args.data.resolve())
        run_fakesnow.add_missing_functions(duck)
        run_fakesnow.load_cluster_model(duck, python_models)
        run_fakesnow.load_value_models(duck, python_models)
        batches = Batches(
            duck, f'"{DATABASE}".{RAW_SCHEMA}', events_loaded_at=not args.events_without_loaded_at
        )
        batches.prepare_base()

        env = {
            **os.environ,
            "FAKESNOW_PORT": str(connection_kwargs["port"]),
            "FAKESNOW_THREADS": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        target = HERE / "target"

        def project(side: str) -> list[str]:
            # One target path per side: each keeps its own partial parse.
            return ["--project-dir", str(HERE), "--profiles-dir", str(HERE),
                    "--target-path", str(target / f"sequence_{side}"),
                    "--log-path", str(HERE / "logs")]  # fmt: skip

        dbt(["deps", "--project-dir", str(HERE), "--profiles-dir", str(HERE)], env, "dbt deps",
            args.timeout)  # fmt: skip
        step = time.monotonic()
        dbt([*BUILD, *project("incremental")], env, "the base build", args.timeout)
        timings["base build"] = time.monotonic() - step
        before: dict = {}
        for day in range(1, DAYS + 1):
            record = batches.apply_day(day)
            print(f"\n{sequence.day_summary(record)}", flush=True)
            step = time.monotonic()
            dbt([*BUILD, *project("incremental")], env, f"day {day}: dbt build", args.timeout)
            timings[f"day {day} incremental"] = time.monotonic() - step
            if day not in args.full_refresh_days:
                facts, before = sequence.check_day(duck, DATABASE, MARTS_SCHEMA, record, before)
                if facts:
                    raise Failure(f"day {day}: " + "\n".join(facts))
                continue
            copy = f"SEQUENCE_FULL_D{day}"
            copy_database(duck, connection_kwargs, DATABASE, copy)
            # Only the day before's copy is read again (on the last day): fewer databases
            # keep fakesnow's information schema, which dbt asks often, quick.
            duck.execute(f"detach database if exists SEQUENCE_FULL_D{day - 2}")
            step = time.monotonic()
            dbt(
                [*BUILD, *sequence.full_refresh_args(), *project("full")],
                {**env, "FAKESNOW_DATABASE": copy},
                f"day {day}: dbt build --full-refresh on the copy {copy}",
                args.timeout,
            )
            timings[f"day {day} full refresh"] = time.monotonic() - step
            problems = sequence.compare_marts(
                duck, marts, (DATABASE, MARTS_SCHEMA), (copy, MARTS_SCHEMA), approximate=True
            )
            if problems:
                raise Failure(
                    f"day {day}: the incremental build's marts differ from the --full-refresh "
                    "build's:\n" + "\n".join(problems)
                )
            facts, before = sequence.check_day(duck, DATABASE, MARTS_SCHEMA, record, before)
            if facts:
                raise Failure(f"day {day}: " + "\n".join(facts))
            print(f"day {day}: {len(marts)} public marts equal the --full-refresh build's")
            if day == DAYS and DAYS - 1 in args.full_refresh_days:
                previous = f"SEQUENCE_FULL_D{day - 1}"
                problems = sequence.compare_marts(
                    duck, marts, (DATABASE, MARTS_SCHEMA), (previous, MARTS_SCHEMA),
                    (f"day {day}", f"day {day - 1}"), approximate=True,
                )  # fmt: skip
                if problems:
                    raise Failure("an unchanged day changed the marts:\n" + "\n".join(problems))
        duck.close()
    timings["total"] = time.monotonic() - started
    print("timings: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "target" / "sequence" / "data")
    parser.add_argument(
        "--python-models",
        type=Path,
        default=ROOT / "target" / "sequence" / "seq.duckdb",
        help="the DuckDB build of --data whose Python models' tables stand in for them",
    )
    parser.add_argument("--events-without-loaded-at", action="store_true")
    parser.add_argument(
        "--full-refresh-days",
        type=int,
        nargs="+",
        default=list(range(1, DAYS + 1)),
        help="the days whose incremental build is compared with a --full-refresh build "
        "(default: every day; make snowflake-test: 4, after the hard cases land; an "
        "error of an earlier day that stays in the incremental database shows there too)",
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for each dbt command")
    args = parser.parse_args(argv)
    try:
        run(args)
    except Failure as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    print(f"\nOK: {DAYS} days of incremental builds equal --full-refresh builds on fakesnow")
    return 0


if __name__ == "__main__":
    sys.exit(main())
