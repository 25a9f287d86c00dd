"""Compare an incremental build's public marts with a --full-refresh build's, row for row.

Shared by the sequence test on DuckDB (tests/python/test_incremental_sequence.py) and
on fakesnow (integration_tests/snowflake/run_sequence.py); see docs/incremental.md.
    python scripts/incremental_sequence.py base --out target/sequence   # fakesnow's base shop

Both sides are catalogs attached to one DuckDB connection (two DuckDB files, or two
databases of the fakesnow server), so only duckdb and the standard library are needed.

What may differ, decided by reading the marts (every other column must be equal):

- RUN_TIME: columns stamped with the build's start or the wall clock of a fit. The
  snapshot-based columns (valid_from, changed_at, entered_at, run_at, their ids) are
  NOT here: the full-refresh build runs on a copy of the incremental database, so it
  inherits the snapshot, and a build whose labels agree adds no version to it. Any
  difference in labels therefore shows as a difference in history, with its run time.
- segmentation__clustering_runs appends a row per build (kept by a full refresh, like
  the segment names): the latest run of each side (max run_at) must be equal, run time
  apart.
- segmentation__rejected_rows.input_relation names the database (the DuckDB file's
  name, the fakesnow database): compared without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The sequence's base shop (both engines): generated customers and seed.
CUSTOMERS = 400
SEED = 7


def full_refresh_args() -> list[str]:
    """The arguments that make `dbt build` the sequence's full rebuild. The package's
    state (segment names, the run history, the labels snapshot) is kept by a full
    refresh (`full_refresh: false`), so the full rebuild on a copy starts from it."""
    return ["--full-refresh"]


RUN_TIME = {
    "segmentation__clustering_runs": ("fitted_at", "run_at", "run_id"),  # run_id = fit_id@run_at
    "segmentation__customer_segments_v1": ("segmented_at",),  # the build's run_started_at
    "segmentation__quality_gates": ("checked_at",),  # the build's run_started_at
    "segmentation__value_model": ("fitted_at",),  # the value fit's wall clock
}
LATEST_RUN_ONLY = {"segmentation__clustering_runs": "run_at"}
NORMALISED = {
    "segmentation__rejected_rows": {
        # database.schema.table, quoted (DuckDB) or not (Snowflake): the database goes.
        "input_relation": (
            r"""regexp_replace({column}, '^("[^"]*"|[^".]+)\.(("[^"]*"|[^".]+)\."""
            r"""("[^"]*"|[^".]+))$', '<database>.\2')"""
        ),
    },
}
SHOWN_ROWS = 3
# The incremental feature state models (docs/decisions/0025) -> the DayRecord fields naming
# the customers whose input rows the day changed, and who lost every such row.
FEATURE_STATE = {
    "int_segmentation__customer_events": ("changed_event_customers", "eventless_customer"),
    "int_segmentation__order_habits": ("changed_order_customers", "orderless_customer"),
}
SHOWN_CUSTOMERS = 5


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns_of(con, catalog: str, schema: str, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where lower(table_catalog) = ? "
            "and lower(table_schema) = ? and lower(table_name) = ? order by ordinal_position",
            [catalog.lower(), schema.lower(), table.lower()],
        ).fetchall()
    ]


def _double_columns(con, catalog: str, schema: str, table: str) -> set[str]:
    return {
        name.lower()
        for (name,) in con.execute(
            "select column_name from information_schema.columns where lower(table_catalog) = ? "
            "and lower(table_schema) = ? and lower(table_name) = ? "
            "and data_type in ('DOUBLE', 'FLOAT')",
            [catalog.lower(), schema.lower(), table.lower()],
        ).fetchall()
    }


def _relation(con, catalog: str, schema: str, mart: str, approximate: bool = False) -> str:
    """A select of the mart's compared rows and columns (lower-case names). `approximate`:
    doubles as 4-byte floats (about 7 significant digits), for an engine whose float sums
    are not reproducible to the last bit (Snowflake; fakesnow's plain sum)."""
    table = f"{_quote(catalog)}.{_quote(schema)}.{_quote(mart)}"
    ignored = {c.lower() for c in RUN_TIME.get(mart, ())}
    columns = [c for c in columns_of(con, catalog, schema, mart) if c.lower() not in ignored]
    doubles = _double_columns(con, catalog, schema, mart) if approximate else set()

    def expression(column: str) -> str:
        sql = NORMALISED.get(mart, {}).get(column.lower(), "{column}").format(column=_quote(column))
        return f"cast({sql} as float)" if column.lower() in doubles else sql

    select = ", ".join(f"{expression(c)} as {_quote(c.lower())}" for c in columns)
    where = ""
    if mart in LATEST_RUN_ONLY:
        column = _quote(LATEST_RUN_ONLY[mart])
        where = f" where {column} = (select max({column}) from {table})"
    return f"select {select} from {table}{where}"


def compare_mart(
    con,
    mart: str,
    left: tuple[str, str],
    right: tuple[str, str],
    names: tuple[str, str] = ("incremental", "full refresh"),
    approximate: bool = False,
) -> str | None:
    """None when the two sides' rows are equal as multisets, else a message naming the
    mart, the columns whose values differ and a few rows found on one side only."""
    left_columns = columns_of(con, *left, mart)
    right_columns = columns_of(con, *right, mart)
    if not left_columns or not right_columns:
        missing = [n for n, c in zip(names, (left_columns, right_columns), strict=True) if not c]
        return f"{mart}: missing from the {' and '.join(missing)} build"
    if [c.lower() for c in left_columns] != [c.lower() for c in right_columns]:
        return f"{mart}: columns differ: {left_columns} vs {right_columns}"
    a = _relation(con, *left, mart, approximate)
    b = _relation(con, *right, mart, approximate)
    [(only_a, only_b, count_a, count_b)] = con.execute(
        f"select (select count(*) from ({a} except all {b})), "
        f"(select count(*) from ({b} except all {a})), "
        f"(select count(*) from ({a})), (select count(*) from ({b}))"
    ).fetchall()
    if only_a == 0 and only_b == 0:
        return None
    compared = [c.lower() for c in left_columns if c.lower() not in RUN_TIME.get(mart, ())]
    differing = [
        column
        for column in compared
        if con.execute(
            f"select exists (select {_quote(column)} from ({a}) except all "
            f"select {_quote(column)} from ({b})) or exists (select {_quote(column)} from ({b}) "
            f"except all select {_quote(column)} from ({a}))"
        ).fetchone()[0]
    ]
    lines = [
        f"{mart}: {count_a} rows ({names[0]}) vs {count_b} ({names[1]}); "
        f"{only_a} rows only in {names[0]}, {only_b} only in {names[1]}; "
        "values differ in column(s): "
        + (", ".join(differing) or "(none alone: the values are combined in other rows)")
    ]
    shown = differing or compared
    for name, first, second in ((names[0], a, b), (names[1], b, a)):
        rows = con.execute(
            f"select {', '.join(_quote(c) for c in compared)} from ({first} except all {second}) "
            f"order by all limit {SHOWN_ROWS}"
        ).fetchall()
        for row in rows:
            values = dict(zip(compared, row, strict=True))
            key = {c: values[c] for c in compared[:2] if c not in shown}
            lines.append(f"  only in {name}: {key} { ({c: values[c] for c in shown}) }")
    return "\n".join(lines)


def compare_marts(
    con,
    marts: Iterable[str],
    left: tuple[str, str],
    right: tuple[str, str],
    names: tuple[str, str] = ("incremental", "full refresh"),
    approximate: bool = False,
) -> list[str]:
    """One message per mart whose rows differ between the (catalog, schema) sides;
    `approximate`: doubles compared to about 7 significant digits (see _relation)."""
    problems = [compare_mart(con, mart, left, right, names, approximate) for mart in marts]
    return [problem for problem in problems if problem]


def mart_names_in(con, catalog: str, schema: str) -> set[str]:
    return {
        name.lower()
        for (name,) in con.execute(
            "select table_name from information_schema.tables where lower(table_catalog) = ? "
            "and lower(table_schema) = ?",
            [catalog.lower(), schema.lower()],
        ).fetchall()
    }


def check_day(con, catalog: str, schema: str, record, before: dict) -> tuple[list[str], dict]:
    """Something real happened on the day (`record`: a daily_batches.DayRecord), read from
    the built marts; `before` is what the previous day's call returned. Returns the
    problems and this day's totals for the next call."""
    marts = f"{_quote(catalog)}.{_quote(schema)}"

    def one(sql: str, params: list | None = None):
        return con.execute(sql, params or []).fetchone()

    problems = []
    [as_of, orders, events] = one(
        "select max(as_of_date), coalesce(sum(order_count), 0), coalesce(sum(event_count), 0) "
        f"from {marts}.segmentation__customer_features"
    )
    now = {"orders": int(orders), "events": int(events)}
    if str(as_of) != str(record.as_of_date):
        problems.append(f"as_of_date is {as_of}, expected {record.as_of_date}")
    if before:
        want_orders = before["orders"] + record.orders_added - record.removed_orders
        want_events = before["events"] + record.events_added - record.removed_events
        if (now["orders"], now["events"]) != (want_orders, want_events):
            problems.append(
                f"features count {now['orders']} orders and {now['events']} events; expected "
                f"{want_orders} and {want_events} (before {before}, day {record.day} added "
                f"{record.orders_added} and {record.events_added}, removed "
                f"{record.removed_orders} and {record.removed_events})"
            )
    if record.new_customers:
        [(segmented,)] = [
            one(
                f"select count(*) from {marts}.segmentation__customer_segments_v1 "
                "where list_contains(?, customer_id) and is_eligible",
                [record.new_customers],
            )
        ]
        if segmented != len(record.new_customers):
            problems.append(
                f"{segmented} of {len(record.new_customers)} new customers are segmented"
            )

    def rejected(input_name: str, reason: str, *needles: str) -> int:
        condition = " and ".join("raw_values like ?" for _ in needles)
        return one(
            f"select count(*) from {marts}.segmentation__rejected_rows where "
            f"input_name = ? and reason_code = ? and {condition}",
            [input_name, reason, *(f'%"{needle}"%' for needle in needles)],
        )[0]

    if record.duplicate_event and rejected("events", "duplicate_key", *record.duplicate_event) != 1:
        problems.append(f"the copied event {record.duplicate_event} is not one duplicate_key row")
    if record.reused_order and rejected("orders", "duplicate_key", *record.reused_order) != 1:
        problems.append(f"the order row reusing {record.reused_order} is not one duplicate_key row")
    if record.corrected_customer:
        [rate] = one(
            f"select return_cancel_rate from {marts}.segmentation__customer_features "
            "where customer_id = ?",
            [record.corrected_customer],
        )
        if rate is None or abs(rate - record.corrected_rate) > 1e-9:
            problems.append(
                f"{record.corrected_customer}'s return_cancel_rate is {rate} after the "
                f"correction of {record.corrected_order}, expected {record.corrected_rate}"
            )
    if record.erased_customer:
        customer = record.erased_customer
        for mart in ("customer_segments_v1", "customer_features", "sync_current_state"):
            if one(f"select count(*) from {marts}.segmentation__{mart} where customer_id = ?",
                   [customer])[0]:  # fmt: skip
                problems.append(f"the erased customer {customer} is still in segmentation__{mart}")
        if one(
            f"select count(*) from {marts}.segmentation__rejected_rows where raw_values like ?",
            [f'%"{customer}"%'],
        )[0]:
            problems.append(f"rows of the erased customer {customer} are in the rejected rows")
    for customer in filter(None, (record.eventless_customer, record.orderless_customer)):
        if not one(
            f"select count(*) from {marts}.segmentation__customer_features where customer_id = ?",
            [customer],
        )[0]:
            problems.append(f"{customer} (still a customer, rows removed) left the features")
    for customer in filter(None, (record.erased_customer, record.orphaned_customer)):
        [(current, closed)] = [
            one(
                "select count(*) filter (where is_current and label is not null), "
                "count(*) filter (where valid_to is not null) "
                f"from {marts}.segmentation__segment_membership_history where customer_id = ?",
                [customer],
            )
        ]
        if current or not closed:
            problems.append(
                f"{customer}'s labels are not closed in the membership history "
                f"({current} open, {closed} closed)"
            )
    if record.orphaned_customer:
        for input_name, count in record.orphaned_rows.items():
            got = rejected(input_name, "unknown_customer", record.orphaned_customer)
            if got != count:
                problems.append(
                    f"{got} of {count} {input_name} rows of {record.orphaned_customer} "
                    "(removed from customers) are unknown_customer rows"
                )
    state_problems, now["feature_state"] = check_feature_state(
        con, catalog, schema, record, before.get("feature_state", {})
    )
    return problems + state_problems, now


def _shown(customers: Iterable[str]) -> str:
    customers = sorted(customers)
    more = len(customers) - SHOWN_CUSTOMERS
    return ", ".join(customers[:SHOWN_CUSTOMERS]) + (f" and {more} more" if more > 0 else "")


def check_feature_state(
    con, catalog: str, marts_schema: str, record, before: dict
) -> tuple[list[str], dict]:
    """The feature state models were built incrementally (docs/decisions/0025): this
    build recomputed (computed_at = the build's start) exactly the customers whose input
    rows the day changed, kept every other row as the previous build left it (nobody on
    an unchanged day), and deleted the rows of customers with no input rows left (no
    null fingerprint remains). `before`: the previous call's {model: {customer:
    computed_at}}; returns the problems and this build's."""
    marts = f"{_quote(catalog)}.{_quote(marts_schema)}"
    # The build's start: every build stamps every segmented customer with it.
    [(run_started,)] = con.execute(
        f"select max(segmented_at) from {marts}.segmentation__customer_segments_v1"
    ).fetchall()
    problems, now = [], {}
    for model, (changed_field, emptied_field) in FEATURE_STATE.items():
        found = con.execute(
            "select table_schema from information_schema.tables where lower(table_catalog) = ? "
            "and lower(table_name) = ?",
            [catalog.lower(), model],
        ).fetchall()
        if len(found) != 1:
            problems.append(f"{model}: expected one table in {catalog}, found {len(found)}")
            continue
        table = f"{_quote(catalog)}.{_quote(found[0][0])}.{_quote(model)}"
        rows = con.execute(
            f"select customer_id, computed_at, input_fingerprint is null from {table}"
        ).fetchall()
        state = {customer: computed_at for customer, computed_at, _ in rows}
        now[model] = state
        tombstones = [customer for customer, _, is_null in rows if is_null]
        if tombstones:
            problems.append(
                f"{model}: {len(tombstones)} rows with a null input_fingerprint remain "
                f"({_shown(tombstones)}); expected none (the post-hook deletes them)"
            )
        changed = set(getattr(record, changed_field))
        gone = {
            getattr(record, name)
            for name in ("erased_customer", "orphaned_customer", emptied_field)
            if getattr(record, name)
        }
        left = gone & set(state)
        if left:
            problems.append(
                f"{model}: {_shown(left)} still have a row; expected none (no input rows "
                "left up to the as-of date)"
            )
        recomputed = {customer for customer, at in state.items() if at == run_started}
        expected = changed - gone
        summary = (
            f"{model}: day {record.day} recomputed {len(recomputed)} of {len(state)} "
            f"customers (computed_at = the build's start {run_started})"
        )
        if expected - recomputed:
            problems.append(
                f"{summary}; expected at least the {len(expected)} whose input rows the "
                f"batch changed, but {_shown(expected - recomputed)} kept an older row"
            )
        extra = recomputed - expected - left  # a row left behind is reported above
        if extra:
            problems.append(
                f"{summary}; expected only the {len(expected)} whose input rows the batch "
                f"changed{'' if expected else ' (none: an unchanged day)'}, but also "
                f"{_shown(extra)}"
            )
        if state and len(recomputed) >= len(state):
            problems.append(f"{summary}; expected fewer than all")
        previous = before.get(model)
        if previous is not None:
            moved = {
                customer
                for customer, at in state.items()
                if customer not in recomputed and previous.get(customer) != at
            }
            if moved:
                problems.append(
                    f"{model}: the rows of {_shown(moved)}, not recomputed, differ in "
                    "computed_at from the previous build's; expected them kept"
                )
    return problems, now


def day_summary(record) -> str:
    facts = {k: v for k, v in vars(record).items() if v and k != "day"}
    return f"day {record.day}: " + ", ".join(f"{k}={v}" for k, v in facts.items())


def build_base(out: Path, customers: int, seed: int) -> None:
    """The sequence's base shop for the fakesnow variant: generated files in out/data and
    a DuckDB build of the Python models on them in out/seq.duckdb (run in .venv)."""
    import subprocess

    from segmentation_demo.generate import generate
    from segmentation_demo.load import load

    generate(out / "data", customers=customers, seed=seed, fmt="csv")
    database = out / "seq.duckdb"
    database.unlink(missing_ok=True)
    load(out / "data", database)
    models = [
        "+segmentation__cluster_model",
        "+segmentation__value_fit",
        "+segmentation__value_curves",
    ]
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--quiet",
            "--select",
            *models,
            "--exclude-resource-type",
            "test",
            "unit_test",
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--target-path",
            str(out / "target"),
            "--log-path",
            str(out / "logs"),
        ],
        env={
            **os.environ,
            "SEGMENTATION_DUCKDB_PATH": str(database),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        check=True,
    )
    print(f"base shop of the sequence: {out / 'data'}, Python models built in {database}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    base = commands.add_parser("base", help=build_base.__doc__.splitlines()[0])
    base.add_argument("--out", type=Path, default=ROOT / "target" / "sequence")
    base.add_argument("--customers", type=int, default=CUSTOMERS)
    base.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    build_base(args.out, args.customers, args.seed)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
