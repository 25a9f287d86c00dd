"""Build the package's SQL models on emulated Snowflake (fakesnow) with dbt-snowflake.

    .venv-fakesnow/bin/python integration_tests/snowflake/run_fakesnow.py \
        --data data/demo --cluster-model target/make_test.duckdb

Runs in its own venv (requirements-fakesnow.txt): fakesnow pins its own duckdb
and sqlglot. Steps, all against a fakesnow server on a free loopback port that
is stopped at the end, also on failure:

1. load the raw inputs of --data (parquet or csv) as text tables into
   SEGMENTATION_CI.SEGMENTATION_RAW, as segmentation_demo/load.py does on DuckDB;
2. load the Python models' DuckDB outputs (--cluster-model: a .duckdb file holding
   main_segmentation.segmentation__cluster_model, __value_fit and __value_curves,
   or a .parquet/.csv export of the cluster model alone, then without the value
   models) as fixtures: fakesnow cannot run Python, so the wrapper project here
   copies each into its model's table (macros/python_model_fixture.sql);
3. `dbt build` of the wrapper project (the package's seeds, SQL models, data
   and unit tests), twice: the second build takes the incremental (MERGE) and
   previous-run paths, and a fresh `dbt test` then compares segments with the
   previous build's. When --cluster-model is a DuckDB build of the same data,
   the marts must equal its marts (labels per customer, rejected rows, profiles);
4. one clustered customer deleted from the input and everything built again:
   the snapshot must close every label of theirs at one time and the sync
   feed must list them as exited;
5. `dbt compile` of the package's own project on the same server, without
   any shim, and every compiled SQL model must parse with sqlglot as Snowflake.

Exits non-zero with a message on the first failure. The fit must come from a
DuckDB build on the same data, or the segment-share tests may not hold.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import fakesnow
import snowflake.connector
import sqlglot

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

# The demo loader's input list and file readers (it needs only duckdb).
from segmentation_demo.load import INPUTS, file_reader, input_file  # noqa: E402

DATABASE = "SEGMENTATION_CI"
RAW_SCHEMA = "SEGMENTATION_RAW"
FIXTURE_TABLE = "CLUSTER_MODEL_FIXTURE"
CLUSTER_MODEL_TABLE = "main_segmentation.segmentation__cluster_model"
# The value models' DuckDB outputs (a .duckdb --cluster-model only), fixture table by relation.
VALUE_MODEL_TABLES = {
    "VALUE_FIT_FIXTURE": "main_segmentation.segmentation__value_fit",
    "VALUE_CURVES_FIXTURE": "main_segmentation.segmentation__value_curves",
}
PREVIOUS_RUN = "segmentation__customer_segments_v1__previous"
# Values from data or config that must survive quoting (issue 13): quotes,
# backslashes (Snowflake escapes), comment and statement markers, newlines.
HOSTILE_LITERALS = [
    "it's", "back\\slash", "ends with \\", "\\'", "'; drop table x; --", 'say "hi"',
    "two\nlines", "-- comment", "a;b", "\\\\'' or 1=1 --", "Électronique", "",
]  # fmt: skip
# Captured before `import fakesnow.server` rebinds the name to the module.
start_server = fakesnow.server


class Failure(Exception):
    """A step failed; the message says which and why."""


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _columns(duck: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [row[0] for row in duck.execute(f"describe select * from {source}").fetchall()]


def load_inputs(connection_kwargs: dict, duck: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Create every raw table through the Snowflake connector (all columns
    varchar, unquoted names as a loader would), then fill it on the server's
    DuckDB side: row-by-row inserts over HTTP would take minutes."""
    with snowflake.connector.connect(**connection_kwargs, database=DATABASE) as con:
        cur = con.cursor()
        cur.execute(f"create schema if not exists {DATABASE}.{RAW_SCHEMA}")
        for name in INPUTS:
            try:
                source = file_reader(input_file(data_dir, name))
            except FileNotFoundError as error:
                raise Failure(str(error)) from error
            columns = _columns(duck, source)
            cur.execute(
                f"create or replace table {DATABASE}.{RAW_SCHEMA}.{name} ("
                + ", ".join(f"{column} varchar" for column in columns)
                + ")"
            )
            duck.execute(
                f'insert into "{DATABASE}"."{RAW_SCHEMA}"."{name.upper()}" select '
                + ", ".join(f'cast("{column}" as varchar)' for column in columns)
                + f" from {source}"
            )
            cur.execute(f"select count(*) from {DATABASE}.{RAW_SCHEMA}.{name}")
            print(f"loaded {RAW_SCHEMA}.{name}: {cur.fetchone()[0]:,} rows")


# Snowflake functions fakesnow does not have, as DuckDB macros in the database's
# main schema (where name lookup finds them). The package's own regex gate lets
# only ISO 8601 shapes reach them, so these casts give Snowflake's results.
MISSING_FUNCTIONS = {
    "try_to_timestamp_ntz": "try_cast(val as timestamp)",
    "try_to_timestamp_tz": "try_cast(val as timestamptz)",
}


def add_missing_functions(duck: duckdb.DuckDBPyConnection) -> None:
    for name, body in MISSING_FUNCTIONS.items():
        duck.execute(f'create or replace macro "{DATABASE}".main.{name}(val) as {body}')


def load_cluster_model(duck: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The Python model's DuckDB output as SEGMENTATION_RAW.CLUSTER_MODEL_FIXTURE,
    column names upper case as unquoted Snowflake identifiers are."""
    if path.suffix == ".duckdb":
        duck.execute(f"attach '{_sql_path(path)}' as fit_source (read_only)")
        source = f"fit_source.{CLUSTER_MODEL_TABLE}"
    elif path.suffix == ".csv":
        source = f"read_csv('{_sql_path(path)}', header = true)"
    else:
        source = f"read_parquet('{_sql_path(path)}')"
    try:
        columns = _columns(duck, source)
        duck.execute(
            f'create or replace table "{DATABASE}"."{RAW_SCHEMA}"."{FIXTURE_TABLE}" as select '
            + ", ".join(f'"{column}" as "{column.upper()}"' for column in columns)
            + f" from {source}"
        )
        rows = duck.execute(
            f'select count(*) from "{DATABASE}"."{RAW_SCHEMA}"."{FIXTURE_TABLE}"'
        ).fetchone()[0]
    except duckdb.Error as error:
        raise Failure(f"cannot read the cluster model from {path}: {error}") from error
    finally:
        if path.suffix == ".duckdb":
            duck.execute("detach fit_source")
    if rows == 0:
        raise Failure(f"the cluster model in {path} has no rows")
    print(f"loaded {RAW_SCHEMA}.{FIXTURE_TABLE} from {path}: {rows} segments")


def load_value_models(duck: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The value models' DuckDB outputs as SEGMENTATION_RAW.VALUE_*_FIXTURE (upper-case
    columns), from a DuckDB build only; an export of the cluster model alone has none,
    and the value models (and what reads them) then fail in the build."""
    if path.suffix != ".duckdb":
        print(f"no value model fixtures: {path} is not a DuckDB build")
        return
    duck.execute(f"attach '{_sql_path(path)}' as fit_source (read_only)")
    try:
        for fixture, table in VALUE_MODEL_TABLES.items():
            source = f"fit_source.{table}"
            columns = _columns(duck, source)
            duck.execute(
                f'create or replace table "{DATABASE}"."{RAW_SCHEMA}"."{fixture}" as select '
                + ", ".join(f'"{column}" as "{column.upper()}"' for column in columns)
                + f" from {source}"
            )
            rows = duck.execute(
                f'select count(*) from "{DATABASE}"."{RAW_SCHEMA}"."{fixture}"'
            ).fetchone()[0]
            print(f"loaded {RAW_SCHEMA}.{fixture} from {path}: {rows} rows")
    except duckdb.Error as error:
        raise Failure(f"cannot read the value models from {path}: {error}") from error
    finally:
        duck.execute("detach fit_source")


def dbt(args: list[str], env: dict[str, str], what: str, timeout: float) -> None:
    command = [str(Path(sys.executable).parent / "dbt"), *args]
    print(f"\n$ dbt {' '.join(args)}", flush=True)
    started = time.monotonic()
    # The connector retries a server error without end, so a fakesnow crash
    # mid-transaction would hang the run: bound it.
    process = subprocess.Popen(command, env=env)
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise Failure(f"{what} did not finish in {timeout:.0f}s (stopped)") from None
    if returncode != 0:
        raise Failure(f"{what} failed (dbt {args[0]}); see the dbt output above")
    print(f"{what}: ok in {time.monotonic() - started:.0f}s", flush=True)


def check_stability_test(
    connection_kwargs: dict, env: dict[str, str], project: list[str], timeout: float
) -> None:
    """The second build kept the first's segments (pre-hook keep_previous_run)
    under the name an unquoted Snowflake identifier resolves to; a fresh dbt
    test then compares against it, and its compiled SQL must name that table."""
    with snowflake.connector.connect(**connection_kwargs, database=DATABASE) as con:
        cur = con.cursor()
        try:
            cur.execute(f"select count(*) from {DATABASE}.ci_segmentation.{PREVIOUS_RUN}")
        except snowflake.connector.errors.ProgrammingError as error:
            raise Failure(f"keep_previous_run left no {PREVIOUS_RUN}: {error}") from error
        print(f"{PREVIOUS_RUN}: {cur.fetchone()[0]:,} rows kept from the previous build")
    test = "customer_segments_stable_since_previous_build"
    dbt(["test", *project, "--select", test], env, "segment stability test", timeout)
    compiled = next((HERE / "target" / "run").rglob(f"{test}.sql"), None)
    if compiled is None or PREVIOUS_RUN not in compiled.read_text().lower():
        raise Failure(f"{test} did not compare with {PREVIOUS_RUN}")


def check_exit_is_recorded(
    connection_kwargs: dict, env: dict[str, str], project: list[str], timeout: float
) -> None:
    """The snapshot's exit path on Snowflake SQL: delete one clustered customer
    from the input, build the activation models again, and every label of that
    customer must be closed at one time and listed as exited in the sync feed.
    A whole build: the rejected-rows audit must account for the customer's rows."""
    marts = f"{DATABASE}.ci_segmentation"
    with snowflake.connector.connect(**connection_kwargs, database=DATABASE) as con:
        cur = con.cursor()
        cur.execute(
            f"select min(customer_id) from {marts}.segmentation__segment_membership_history "
            "where label_kind = 'cluster_segment' and is_current"
        )
        [customer] = cur.fetchone()
        cur.execute(
            f"select count(*) from {marts}.segmentation__segment_membership_history "
            "where customer_id = %s and is_current",
            [customer],
        )
        [labels] = cur.fetchone()
        cur.execute(
            f"delete from {DATABASE}.segmentation_raw.customers where customer_id = %s", [customer]
        )
    dbt(
        ["build", *project],
        env,
        f"dbt build after deleting customer {customer}",
        timeout,
    )
    with snowflake.connector.connect(**connection_kwargs, database=DATABASE) as con:
        cur = con.cursor()
        cur.execute(
            f"select change_type, count(*) from {marts}.segmentation__sync_changes "
            f"where changed_at = (select max(changed_at) from {marts}.segmentation__sync_changes) "
            "group by change_type"
        )
        changes = dict(cur.fetchall())
        cur.execute(
            "select count(*), count(distinct valid_to), "
            "sum(case when is_current then 1 else 0 end) "
            f"from {marts}.segmentation__segment_membership_history "
            "where customer_id = %s and valid_to is not null",
            [customer],
        )
        closed, close_times, still_current = cur.fetchone()
    if changes.get("exited", 0) < labels or closed != labels or close_times != 1 or still_current:
        raise Failure(
            f"deleting {customer} ({labels} labels) recorded changes {changes} and closed "
            f"{closed} history rows at {close_times} time(s)"
        )
    print(f"deleting {customer} closed its {labels} labels at one time; latest changes: {changes}")


def compare_with_duckdb(duck: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Same inputs and fit, same answers: every customer's labels, the rejected
    rows per input and reason, the segment profiles, the audiences with their
    holdout flags and the campaign counts equal the DuckDB build's
    (features and sizes exactly; numbers may differ in the last float digits)."""
    duck.execute(f"attach '{_sql_path(path)}' as duckdb_build (read_only)")
    built = f'"{DATABASE}"."CI_SEGMENTATION"'
    checks = {
        "segmentation__customer_segments_v1": "customer_id, segment_id, segment_name, rfm_cell, "
        "rfm_segment, lifecycle_stage, value_tier, is_eligible, ineligibility_reason",
        "segmentation__rejected_rows": "input_name, reason_code",
        "segmentation__segment_profiles": "segment_id, segment_name, customer_count, trait_1, "
        "trait_2, trait_3",
        "segmentation__customer_features": "customer_id, order_count, recency_days, "
        "event_count, session_count, primary_device_type, favourite_category, rfm_cell",
        # Holdouts are a hash of customer and audience: the same on both engines.
        "segmentation__audience_memberships": "audience_id, customer_id, is_holdout, "
        "is_priority_audience",
        "segmentation__audiences": "audience_id, audience_name, member_count, holdout_count",
        "segmentation__campaign_effectiveness": "audience_id, campaign_id, treated_customers, "
        "opened_customers, treated_ordered_customers, holdout_customers, holdout_ordered_customers",
        # The value models' fits are the DuckDB build's; the scoring is Snowflake SQL.
        "segmentation__customer_value": "customer_id, predicted_value_tier, prediction_note, "
        "is_high_value_at_risk, is_likely_to_buy_soon",
        "segmentation__value_backtest": "calibration_purchases, customer_count",
    }
    problems = []
    try:
        for table, columns in checks.items():
            ours = f"select {columns} from {built}.{table.upper()}"
            theirs = f"select {columns} from duckdb_build.main_segmentation.{table}"
            for a, b, side in ((ours, theirs, "fakesnow"), (theirs, ours, "DuckDB")):
                [(extra,)] = duck.execute(f"select count(*) from ({a} except all {b})").fetchall()
                if extra:
                    problems.append(f"{table}: {extra} rows only in the {side} build")
    except duckdb.Error as error:
        raise Failure(f"cannot compare with the DuckDB build {path}: {error}") from error
    finally:
        duck.execute("detach duckdb_build")
    if problems:
        raise Failure("results differ from the DuckDB build:\n  " + "\n  ".join(problems))
    print(f"results equal the DuckDB build's ({', '.join(checks)})")


def check_compiled_sql(target_path: Path) -> tuple[int, int]:
    """Every SQL model of the package, compiled, parses as Snowflake SQL; so do
    the package's data tests, compiled along."""
    manifest = json.loads((target_path / "manifest.json").read_text())
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["package_name"] == "segmentation"
        and node["resource_type"] in ("model", "test")
        and node.get("language") == "sql"
    ]
    models = [node for node in nodes if node["resource_type"] == "model"]
    if not models:
        raise Failure("the compiled manifest has no SQL models")
    problems = []
    parsed = {"model": 0, "test": 0}
    for node in nodes:
        compiled = Path(node.get("compiled_path") or "")
        if not compiled.is_absolute():
            compiled = ROOT / compiled
        if not node.get("compiled_path") or not compiled.is_file():
            if node["resource_type"] == "model":
                problems.append(f"{node['name']}: not compiled")
            continue
        try:
            statements = [s for s in sqlglot.parse(compiled.read_text(), read="snowflake") if s]
        except sqlglot.errors.SqlglotError as error:
            problems.append(f"{node['name']}: {str(error).splitlines()[0]}")
            continue
        if not statements:
            problems.append(f"{node['name']}: compiled SQL is empty")
            continue
        parsed[node["resource_type"]] += 1
    if problems:
        listed = "\n  ".join(problems)
        raise Failure(f"compiled SQL that is not valid Snowflake SQL (sqlglot):\n  {listed}")
    print(
        f"sqlglot parsed {parsed['model']} of {len(models)} compiled SQL models "
        f"(and {parsed['test']} compiled data tests) as Snowflake SQL"
    )
    return parsed["model"], parsed["test"]


def run(args: argparse.Namespace) -> None:
    data_dir = args.data.resolve()
    cluster_model = args.cluster_model.resolve()
    if not cluster_model.exists():
        raise Failure(
            f"no cluster model at {cluster_model}: build the DuckDB project first "
            "(make dbt-test builds target/make_test.duckdb) or pass --cluster-model"
        )
    target_path = HERE / "target"
    compile_target = target_path / "package_compile"
    timings: dict[str, float] = {}
    started = time.monotonic()
    with start_server(port=args.port or None) as connection_kwargs:
        server_module = sys.modules["fakesnow.server"]
        # One line per HTTP request, and sqlglot warnings, otherwise.
        for name in ("uvicorn.access", "uvicorn.error", "fakesnow.server", "sqlglot"):
            logging.getLogger(name).setLevel(logging.WARNING)
        print(f"fakesnow server on 127.0.0.1:{connection_kwargs['port']}")
        duck = server_module.shared_fs.duck_conn.cursor()
        load_inputs(connection_kwargs, duck, data_dir)
        add_missing_functions(duck)
        load_cluster_model(duck, cluster_model)
        load_value_models(duck, cluster_model)
        duck.close()
        timings["load"] = time.monotonic() - started

        env = {
            **os.environ,
            "FAKESNOW_PORT": str(connection_kwargs["port"]),
            "FAKESNOW_THREADS": str(args.threads),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        project = ["--project-dir", str(HERE), "--profiles-dir", str(HERE)]
        dbt(["deps", *project], env, "dbt deps", args.timeout)
        for build in range(1, args.builds + 1):
            step = time.monotonic()
            dbt(["build", *project], env, f"dbt build {build} of {args.builds}", args.timeout)
            timings[f"build {build}"] = time.monotonic() - step

        if cluster_model.suffix == ".duckdb" and not args.no_compare:
            duck = server_module.shared_fs.duck_conn.cursor()
            compare_with_duckdb(duck, cluster_model)
            duck.close()

        if args.builds >= 2:
            step = time.monotonic()
            check_stability_test(connection_kwargs, env, project, args.timeout)
            timings["stability test"] = time.monotonic() - step

        step = time.monotonic()
        check_exit_is_recorded(connection_kwargs, env, project, args.timeout)
        timings["history"] = time.monotonic() - step

        # Every value that becomes SQL goes through segmentation.sql_literal: its
        # Snowflake rules (backslash escapes) must give each hostile value back.
        step = time.monotonic()
        dbt(
            ["run-operation", "check_literals", "--args", json.dumps({"values": HOSTILE_LITERALS}),
             *project],
            env,
            "hostile literals round-trip",
            args.timeout,
        )  # fmt: skip
        timings["literals"] = time.monotonic() - step

        # The package's own project, no shims: what a Snowflake user compiles.
        step = time.monotonic()
        dbt(
            [
                "compile",
                "--project-dir", str(ROOT),
                "--profiles-dir", str(HERE),
                "--profile", "segmentation",
                "--target", "fakesnow",
                "--target-path", str(compile_target),
                "--log-path", str(HERE / "logs"),
                "--select", "resource_type:model", "resource_type:test",
            ],
            env,
            "dbt compile of the package for Snowflake",
            args.timeout,
        )  # fmt: skip
        timings["compile"] = time.monotonic() - step
    check_compiled_sql(compile_target)
    timings["total"] = time.monotonic() - started
    print("timings: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument(
        "--cluster-model",
        type=Path,
        default=ROOT / "target" / "make_test.duckdb",
        help=f"a DuckDB file with {CLUSTER_MODEL_TABLE}, or its .parquet/.csv export",
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--builds", type=int, default=2, help="builds in a row; 2 runs merges")
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="skip comparing the marts with those of the --cluster-model DuckDB build",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds for each dbt command")
    args = parser.parse_args(argv)
    try:
        run(args)
    except Failure as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    print("\nOK: the package's SQL models build and test on fakesnow and compile to Snowflake SQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
