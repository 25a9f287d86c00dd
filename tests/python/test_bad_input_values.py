"""Bad-input battery, timestamps and numbers: hostile values planted into a small
generated data set are rejected with their reason and a readable message, or
stored as the right UTC instant; no accepted value overflows a later model; the
timestamp vars are validated; a build does not depend on DuckDB's session zone.

One build per configuration: the default vars (full build), a source time zone
with an extra format (staging only), a session TimeZone other than UTC (staging
only), and one parse per invalid var."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, copy_database, generated_database, query, run_dbt
from dbt.cli.main import dbtRunner

from segmentation_demo.load import COLUMNS, INPUTS

REJECTED = "main_segmentation.segmentation__rejected_rows"
BASE = "main_segmentation_staging.base_segmentation__{}"
STAGING = ["path:models/staging", "segmentation__rejected_rows"]
# A fixed cutoff: the default (now) is not what these tests are about.
PINNED = {"segmentation__future_cutoff": "2026-07-01 00:00:00"}

# (case, input, changed columns, expected reason or None when accepted); the first
# changed column is the one the reason is about. A column named in KEY_OF (the
# row's key where it has one) carries the case name, so the row can be found.
CASES: list[tuple[str, str, dict[str, str], str | None]] = [
    # timestamps: specials, out of range, shapes only a format var accepts
    ("ts_epoch", "orders", {"ordered_at": "epoch"}, "special_value"),
    ("ts_infinity", "orders", {"ordered_at": "infinity"}, "special_value"),
    ("ts_minus_infinity", "orders", {"ordered_at": "-infinity"}, "special_value"),
    ("ts_now", "orders", {"ordered_at": "now"}, "special_value"),
    ("ts_today_upper", "orders", {"ordered_at": "TODAY"}, "special_value"),
    ("ts_before_1900", "orders", {"ordered_at": "1899-12-31 23:59:59"}, "out_of_range"),
    ("ts_year_1", "orders", {"ordered_at": "0001-01-01"}, "out_of_range"),
    ("ts_year_0", "orders", {"ordered_at": "0000-01-01 00:00:00"}, "out_of_range"),
    ("ts_compact_date", "orders", {"ordered_at": "19970101"}, "unparseable_timestamp"),
    ("ts_epoch_seconds", "orders", {"ordered_at": "1748820600"}, "unparseable_timestamp"),
    (
        "ts_bad_offset",
        "orders",
        {"ordered_at": "2025-06-01T23:30:00+25:99"},
        "unparseable_timestamp",
    ),
    (
        "ts_zone_name",
        "orders",
        {"ordered_at": "2025-06-01 23:30:00 America/Lima"},
        "unparseable_timestamp",
    ),
    ("ts_allballs_event", "events", {"occurred_at": "allballs"}, "special_value"),
    ("ts_minus_infinity_touch", "marketing_touches", {"sent_at": "-infinity"}, "special_value"),
    ("ts_epoch_optional", "marketing_touches", {"opened_at": "epoch"}, "special_value"),
    ("ts_signup_infinity", "customers", {"signup_at": "infinity"}, "special_value"),
    ("date_before_1900", "customers", {"birth_date": "1850-01-01"}, "out_of_range"),
    ("date_compact", "customers", {"birth_date": "19970101"}, "unparseable_timestamp"),
    # numbers: non-finite, too large, not a plain number
    ("num_nan", "orders", {"order_total": "nan"}, "special_value"),
    ("num_inf", "orders", {"order_total": "inf"}, "special_value"),
    ("num_minus_infinity", "orders", {"order_total": "-Infinity"}, "special_value"),
    ("num_1e400", "orders", {"order_total": "1e400"}, "out_of_range"),
    ("num_huge_money", "orders", {"order_total": "1e20"}, "out_of_range"),
    ("num_huge_discount", "orders", {"discount_total": "10000000000000"}, "out_of_range"),
    ("num_minus_huge", "orders", {"order_total": "-1e13"}, "out_of_range"),
    ("num_hex", "orders", {"order_total": "0x10"}, "unparseable_number"),
    ("num_underscore", "orders", {"order_total": "1_000"}, "unparseable_number"),
    ("num_income_1e400", "customers", {"income": "1e400"}, "out_of_range"),
    ("num_overflow_pair", "order_items", {"unit_price": "1e20", "quantity": "1e9"}, "out_of_range"),
    ("num_huge_quantity", "order_items", {"quantity": "1e10", "unit_price": "1"}, "out_of_range"),
    ("num_quantity_nan", "order_items", {"quantity": "NaN"}, "special_value"),
    ("num_quantity_minus_zero", "order_items", {"quantity": "-0"}, "non_positive_quantity"),
    # accepted: offsets converted to UTC, bounds inclusive, negative zero
    ("ok_offset_minus_8", "orders", {"ordered_at": "2025-06-01T23:30:00-08:00"}, None),
    ("ok_offset_plus_0530", "orders", {"ordered_at": "2025-06-01T23:30:00+05:30"}, None),
    ("ok_offset_z", "orders", {"ordered_at": "2025-06-01T23:30:00Z"}, None),
    ("ok_offset_plus_0930_compact", "orders", {"ordered_at": "2025-06-01 23:30:00+0930"}, None),
    ("ok_offset_minus_03_fraction", "orders", {"ordered_at": "2025-06-01T23:30:00.25-03"}, None),
    ("ok_naive_summer", "orders", {"ordered_at": "2025-06-01 23:30:00"}, None),
    ("ok_naive_winter", "orders", {"ordered_at": "2025-01-15T12:00"}, None),
    ("ok_min_timestamp", "orders", {"ordered_at": "1900-01-01"}, None),
    ("ok_money_at_bound", "orders", {"order_total": "1000000000000"}, None),
    ("ok_negative_zero", "order_items", {"unit_price": "-0.0"}, None),
    ("ok_largest_line", "order_items", {"quantity": "1000000000", "unit_price": "1e12"}, None),
    ("ok_birth_date_offset", "customers", {"birth_date": "1990-05-01T23:00:00-08:00"}, None),
]

# Planted order ids, customer ids, session ids and campaign ids carry the case name.
KEY_OF = {
    "orders": "order_id",
    "customers": "customer_id",
    "events": "session_id",
    "marketing_touches": "campaign_id",
    "order_items": "product_id",
}
# The UTC instant each accepted timestamp is stored as, by configuration.
UTC_EXPECTED = {
    "ok_offset_minus_8": dt.datetime(2025, 6, 2, 7, 30),
    "ok_offset_plus_0530": dt.datetime(2025, 6, 1, 18, 0),
    "ok_offset_z": dt.datetime(2025, 6, 1, 23, 30),
    "ok_offset_plus_0930_compact": dt.datetime(2025, 6, 1, 14, 0),
    "ok_offset_minus_03_fraction": dt.datetime(2025, 6, 2, 2, 30, 0, 250000),
    "ok_naive_summer": dt.datetime(2025, 6, 1, 23, 30),
    "ok_naive_winter": dt.datetime(2025, 1, 15, 12, 0),
    "ok_min_timestamp": dt.datetime(1900, 1, 1),
}
NEW_YORK = "America/New_York"
SESSION_ZONE = "Asia/Tokyo"
NEW_YORK_VARS = {
    **PINNED,
    "segmentation__source_timezone": NEW_YORK,
    "segmentation__timestamp_formats": ["%Y%m%d"],
}
# Under NEW_YORK_VARS: naive values shift by the zone's offset (EDT -4, EST -5);
# values with an offset do not move; '%Y%m%d' now reads the compact dates.
NEW_YORK_EXPECTED = {
    **UTC_EXPECTED,
    "ok_naive_summer": dt.datetime(2025, 6, 2, 3, 30),
    "ok_naive_winter": dt.datetime(2025, 1, 15, 17, 0),
    "ok_min_timestamp": dt.datetime(1900, 1, 1, 5, 0),
    "ts_compact_date": dt.datetime(1997, 1, 1, 5, 0),
}


def _plant(database: Path) -> None:
    """Append one row per case to the raw tables, built from a good row of each input."""
    with duckdb.connect(str(database)) as con:

        def good(name: str, where: str = "true") -> dict:
            columns = COLUMNS[name]
            row = con.execute(
                f"select {', '.join(columns)} from segmentation_raw.{name} where {where} limit 1"
            ).fetchone()
            return dict(zip(columns, row, strict=True))

        customer = good("customers", "customer_id like 'C0%' and income is not null")
        bases = {
            "customers": customer,
            "orders": good("orders", f"customer_id = '{customer['customer_id']}'"),
            "events": good("events", f"customer_id = '{customer['customer_id']}'"),
            "marketing_touches": good("marketing_touches"),
        }
        bases["order_items"] = good("order_items", f"order_id = '{bases['orders']['order_id']}'")
        bases["orders"]["discount_total"] = "0"
        for case, name, changes, _ in CASES:
            row = {**bases[name], KEY_OF[name]: case, **changes}
            columns = COLUMNS[name]
            con.execute(
                f"insert into segmentation_raw.{name} ({', '.join(columns)}) "
                f"values ({', '.join('?' for _ in columns)})",
                [row[c] for c in columns],
            )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated customers (seed 13) with every case planted, loaded into DuckDB."""
    base = tmp_path_factory.mktemp("hostile")
    database = generated_database(base, customers=200, seed=13)
    _plant(database)
    return database


@pytest.fixture(scope="module")
def default_build(hostile: Path, tmp_path_factory: pytest.TempPathFactory):
    """A full `dbt build` with the default vars (quality gates only warn: planted
    extremes make outlier segments, which is not what this file tests)."""
    work = tmp_path_factory.mktemp("default_build")
    database = copy_database(hostile, work / "build.duckdb")
    run = run_dbt(
        ["build"], database, {**PINNED, "segmentation__quality_gate_severity": "warn"}, work
    )
    return database, run


@pytest.fixture(scope="module")
def new_york_build(hostile: Path, tmp_path_factory: pytest.TempPathFactory):
    """Staging with NEW_YORK_VARS while DuckDB's session TimeZone is Asia/Tokyo
    (set through the profile): the stored instants must not see Tokyo at all."""
    work = tmp_path_factory.mktemp("new_york_build")
    database = copy_database(hostile, work / "build.duckdb")
    (work / "profiles.yml").write_text(
        "segmentation:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: '{database}'\n      threads: 2\n"
        f"      settings:\n        TimeZone: {SESSION_ZONE}\n"
    )
    common = ["--project-dir", str(ROOT), "--profiles-dir", str(work), "--target-path",
              str(work / "target"), "--log-path", str(work / "logs"),
              "--vars", json.dumps(NEW_YORK_VARS)]  # fmt: skip
    run = dbtRunner().invoke(["run", "--quiet", "--select", *STAGING, *common])
    session = dbtRunner().invoke(
        ["show", "--quiet", "--inline", "select current_setting('TimeZone') as zone", *common]
    )
    zone = session.result.results[0].agate_table.rows[0][0] if session.success else None
    return database, run, zone


def _verdicts(database: Path) -> dict[str, tuple[str | None, str | None]]:
    """(reason, message) of every planted row, by case, read from the base models."""
    verdicts = {}
    for name, key in KEY_OF.items():
        rows = query(
            database,
            f"select json_extract_string(raw_values, '$.{key}'), rejection_reason_code, "
            f"rejection_message from {BASE.format(name)}",
        )
        cases = {case for case, input_name, _, _ in CASES if input_name == name}
        verdicts.update({k: (r, m) for k, r, m in rows if k in cases})
    return verdicts


def _stored_at(database: Path, case: str) -> dt.datetime:
    [(value,)] = query(
        database,
        "select ordered_at from main_segmentation_staging.stg_segmentation__orders "
        "where order_id = ?",
        [case],
    )
    return value


def test_default_build_succeeds(default_build) -> None:
    """No accepted value crashes a later model (rfm summary, cluster model, sums)."""
    _, run = default_build
    assert run.success, run.messages()


@pytest.mark.parametrize(
    ("case", "input_name", "changes", "reason"),
    [c for c in CASES if c[3] is not None],
    ids=[c[0] for c in CASES if c[3] is not None],
)
def test_bad_value_is_rejected_with_reason_and_message(
    default_build, case: str, input_name: str, changes: dict[str, str], reason: str
) -> None:
    database, _ = default_build
    rows = query(
        database,
        f"select reason_code, reason_message, raw_values from {REJECTED} where input_name = ?",
        [input_name],
    )
    mine = [(r, m) for r, m, raw in rows if json.loads(raw).get(KEY_OF[input_name]) == case]
    assert len(mine) == 1, mine
    [(code, message)] = mine
    assert code == reason
    column = next(iter(changes))
    assert message.startswith(f"{column} "), message
    shown = "(redacted)" if column == "birth_date" else changes[column]
    assert message.endswith(f": {shown}"), message
    if reason == "out_of_range" and column.endswith("_at"):
        assert "segmentation__min_timestamp (1900-01-01)" in message
    if reason == "unparseable_timestamp":
        assert "segmentation__timestamp_formats" in message


@pytest.mark.parametrize("input_name", INPUTS)
def test_input_rows_reconcile(default_build, input_name: str) -> None:
    database, _ = default_build
    [(raw,)] = query(database, f"select count(*) from segmentation_raw.{input_name}")
    [(accepted,)] = query(
        database, f"select count(*) from main_segmentation_staging.stg_segmentation__{input_name}"
    )
    [(refused,)] = query(
        database, f"select count(*) from {REJECTED} where input_name = ?", [input_name]
    )
    assert raw == accepted + refused


@pytest.mark.parametrize("case", sorted(UTC_EXPECTED))
def test_timestamp_is_stored_as_its_utc_instant(default_build, case: str) -> None:
    database, _ = default_build
    assert _stored_at(database, case) == UTC_EXPECTED[case]


def test_accepted_extremes_are_stored_exactly(default_build) -> None:
    database, _ = default_build
    items = query(
        database,
        "select product_id, quantity, unit_price "
        "from main_segmentation_staging.stg_segmentation__order_items "
        "where product_id in ('ok_negative_zero', 'ok_largest_line')",
    )
    values = {p: (q, u) for p, q, u in items}
    assert values["ok_negative_zero"][1] == 0 and not values["ok_negative_zero"][1].is_signed()
    assert values["ok_largest_line"] == (Decimal(10**9), Decimal(10**12))
    [(total,)] = query(
        database,
        "select order_total from main_segmentation_staging.stg_segmentation__orders "
        "where order_id = 'ok_money_at_bound'",
    )
    assert total == Decimal(10**12)
    # A date is the day as written: its offset does not move it.
    [(birth_date,)] = query(
        database,
        "select birth_date from main_segmentation_staging.stg_segmentation__customers "
        "where customer_id = 'ok_birth_date_offset'",
    )
    assert birth_date == dt.date(1990, 5, 1)


def test_largest_accepted_line_reaches_features_without_overflow(default_build) -> None:
    database, _ = default_build
    [(customer_id,)] = query(
        database,
        "select o.customer_id from main_segmentation_staging.stg_segmentation__order_items i "
        "join main_segmentation_staging.stg_segmentation__orders o using (order_id) "
        "where i.product_id = 'ok_largest_line'",
    )
    [(rows,)] = query(
        database,
        "select count(*) from main_segmentation.segmentation__customer_features "
        "where customer_id = ?",
        [customer_id],
    )
    assert rows == 1


def test_source_timezone_shifts_naive_values_and_formats_var_reads_compact_dates(
    new_york_build,
) -> None:
    database, run, _ = new_york_build
    assert run.success, run.exception
    stored = {case: _stored_at(database, case) for case in NEW_YORK_EXPECTED}
    assert stored == NEW_YORK_EXPECTED
    # A date is never shifted; the format reads it too.
    [(birth_date,)] = query(
        database,
        "select birth_date from main_segmentation_staging.stg_segmentation__customers "
        "where customer_id = 'date_compact'",
    )
    assert birth_date == dt.date(1997, 1, 1)
    verdicts = _verdicts(database)
    assert verdicts["ts_epoch_seconds"][0] == "unparseable_timestamp"
    assert verdicts["ts_epoch"][0] == "special_value"


def test_build_does_not_depend_on_the_session_timezone(new_york_build) -> None:
    """The New York build ran in a Tokyo session: had the session zone leaked into
    a cast, every instant above would be off by 13 or 14 hours."""
    database, _, zone = new_york_build
    assert zone == SESSION_ZONE
    assert {case: _stored_at(database, case) for case in NEW_YORK_EXPECTED} == NEW_YORK_EXPECTED


# (vars, the value as the message shows it, what the message says is allowed)
BAD_VARS = [
    ({"segmentation__source_timezone": "UTC'; drop table x; --"}, "UTC'; drop table x; --",
     "expected an IANA time zone name"),
    ({"segmentation__source_timezone": "Mars/Olympus_Mons"}, "Mars/Olympus_Mons",
     "which DuckDB does not know"),
    ({"segmentation__timestamp_formats": "%Y%m%d"}, "%Y%m%d", "expected a list of strptime"),
    ({"segmentation__timestamp_formats": ["%Y%m"]}, "%Y%m", "needs a year (%Y or %y), a month"),
    ({"segmentation__timestamp_formats": ["%Y%m%d'); --"]}, "%Y%m%d'); --", "may use only"),
    ({"segmentation__min_timestamp": "1900-02-30"}, "1900-02-30", "expected a date 'YYYY-MM-DD'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "shown", "allowed"), BAD_VARS, ids=[str(v) for v, _, _ in BAD_VARS]
)
def test_invalid_var_stops_the_build_with_a_clear_message(
    hostile: Path, tmp_path: Path, variables: dict, shown: str, allowed: str
) -> None:
    database = copy_database(hostile, tmp_path / "bad_var.duckdb")
    run = run_dbt(["compile", "--select", "base_segmentation__orders"], database, variables)
    assert not run.success
    message = run.messages()
    [name] = variables
    assert f"segmentation: var '{name}'" in message, message
    assert shown in message, message
    assert allowed in message, message


def test_file_has_enough_cases() -> None:
    """The battery's share from this file: at least 12 bad-input cases."""
    assert sum(1 for c in CASES if c[3] is not None) + len(BAD_VARS) >= 12
    assert os.path.basename(__file__).startswith("test_bad_input")
