"""Staging: every planted bad row is refused with its reason, no row is lost,
the input contract's errors are clear, and optional inputs can be switched off."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Inputs, query, run_dbt

from segmentation_demo.load import INPUTS

# Every kind of bad row the generator plants, as (input, reason_code).
PLANTED_KINDS = [
    ("customers", "null_key"),
    ("customers", "duplicate_key"),
    ("customers", "unparseable_timestamp"),
    ("customers", "future_timestamp"),
    ("customers", "unparseable_number"),
    ("customers", "negative_amount"),
    ("orders", "null_key"),
    ("orders", "duplicate_key"),
    ("orders", "missing_required_value"),
    ("orders", "unparseable_timestamp"),
    ("orders", "unparseable_number"),
    ("orders", "future_timestamp"),
    ("orders", "negative_amount"),
    ("orders", "unknown_customer"),
    ("order_items", "missing_required_value"),
    ("order_items", "unparseable_number"),
    ("order_items", "negative_amount"),
    ("order_items", "non_positive_quantity"),
    ("order_items", "unknown_order"),
    ("events", "missing_required_value"),
    ("events", "unparseable_timestamp"),
    ("events", "future_timestamp"),
    ("events", "unknown_event_type"),
    ("events", "duplicate_key"),
    ("events", "unknown_customer"),
    ("marketing_touches", "missing_required_value"),
    ("marketing_touches", "unparseable_timestamp"),
    ("marketing_touches", "future_timestamp"),
    ("marketing_touches", "duplicate_key"),
    ("marketing_touches", "unknown_customer"),
    ("customer_attributes", "null_key"),
    ("customer_attributes", "duplicate_key"),
    ("customer_attributes", "unknown_customer"),
]

REJECTED = "main_segmentation.segmentation__rejected_rows"
STAGING_SCHEMA = "main_segmentation_staging"
FEATURES_SCHEMA = "main_segmentation_intermediate"


def planted(data_dir: Path) -> dict[tuple[str, str], int]:
    with (data_dir / "bad_rows.csv").open() as f:
        return {(r["input"], r["reason_code"]): int(r["expected_rows"]) for r in csv.DictReader(f)}


def rejected_counts(database: Path) -> dict[tuple[str, str], int]:
    rows = query(database, f"select input_name, reason_code, count(*) from {REJECTED} group by all")
    return {(i, r): n for i, r, n in rows}


def test_build_passes_without_warnings(built) -> None:
    _, run = built
    assert run.success, run.messages()
    assert run.warnings == []
    # Exposures are listed as no-op: there is nothing to build for them.
    statuses = {r.status for r in run.results if r.node.resource_type != "exposure"}
    assert statuses <= {"success", "pass"}


def test_generator_plants_exactly_the_tested_kinds(generated_inputs: Inputs) -> None:
    assert set(planted(generated_inputs.data_dir)) == set(PLANTED_KINDS)


@pytest.mark.parametrize(("input_name", "reason_code"), PLANTED_KINDS)
def test_planted_bad_rows_are_rejected_with_their_reason(
    built, generated_inputs: Inputs, input_name: str, reason_code: str
) -> None:
    database, _ = built
    expected = planted(generated_inputs.data_dir)[(input_name, reason_code)]
    assert expected > 0
    assert rejected_counts(database).get((input_name, reason_code), 0) == expected


def test_nothing_else_is_rejected(built, generated_inputs: Inputs) -> None:
    database, _ = built
    assert rejected_counts(database) == planted(generated_inputs.data_dir)


@pytest.mark.parametrize("input_name", INPUTS)
def test_input_rows_reconcile_with_accepted_and_rejected(built, input_name: str) -> None:
    database, _ = built
    [(raw,)] = query(database, f"select count(*) from segmentation_raw.{input_name}")
    [(accepted,)] = query(
        database, f"select count(*) from main_segmentation_staging.stg_segmentation__{input_name}"
    )
    [(refused,)] = query(
        database, f"select count(*) from {REJECTED} where input_name = ?", [input_name]
    )
    assert refused > 0
    assert raw == accepted + refused


def test_rejected_rows_carry_readable_reasons_and_raw_values(built) -> None:
    database, _ = built
    rows = query(database, f"select input_name, reason_message, raw_values from {REJECTED}")
    for input_name, message, raw_values in rows:
        assert message, input_name
        values = json.loads(raw_values)
        assert isinstance(values, dict)
        assert values, input_name


PII = ("email", "birth_date", "postal_code")


def _rejected_customer_values(database: Path) -> list[dict]:
    rows = query(database, f"select raw_values from {REJECTED} where input_name = 'customers'")
    return [json.loads(raw_values) for (raw_values,) in rows]


def test_pii_is_redacted_in_rejected_rows(built, generated_inputs: Inputs, tmp_path: Path) -> None:
    database, _ = built
    redacted = _rejected_customer_values(database)
    assert redacted and all(values[c] in (None, "(redacted)") for values in redacted for c in PII)
    assert any(values["email"] == "(redacted)" for values in redacted)
    [(leaks,)] = query(database, f"select count(*) from {REJECTED} where reason_message like '%@%'")
    assert leaks == 0
    # Switched off, the audit shows the values as they arrived.
    plain = generated_inputs.fresh_copy(tmp_path / "plain.duckdb")
    run = run_dbt(
        ["run", "--select", "+segmentation__rejected_rows"],
        plain,
        variables={"segmentation__redact_pii_in_rejected_rows": False},
    )
    assert run.success, run.messages()
    assert any("@" in (values["email"] or "") for values in _rejected_customer_values(plain))


# Columns that hold the build's time, or a key hashed from it: the only ones two
# builds of the same data may differ in.
RUN_TIME_COLUMNS = {
    "fitted_at", "run_id", "segmented_at", "checked_at", "labelled_at", "entered_at",
    "labels_changed_at", "valid_from", "valid_to", "membership_history_id", "changed_at",
    "change_id", "old_label_since", "run_at", "previous_run_at", "transition_id",
    "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "judged_at",
    "computed_at",
}  # fmt: skip


def test_two_builds_give_bit_identical_tables(built, generated_inputs: Inputs, tmp_path) -> None:
    """Every table of every schema, bit for bit (EXCEPT ALL both ways, so doubles
    compare exactly), between two builds of the same data in two files. The file
    names match: the database name is part of input_relation. It replaces a test
    that fingerprinted only the staging views and the rejected rows, where no
    float is summed (docs/decisions/0015)."""
    database, _ = built
    again = generated_inputs.fresh_copy(tmp_path / database.name)
    run = run_dbt(["build"], again, work_dir=tmp_path)
    assert run.success, run.messages()
    con = duckdb.connect()
    for name, built_file in (("one", database), ("two", again)):
        # Copies: dbt-duckdb may still hold the built files open in this process.
        query(built_file, "checkpoint")
        (tmp_path / name).mkdir()
        copy = shutil.copyfile(built_file, tmp_path / name / "copy.duckdb")
        con.execute(f"attach '{copy}' as {name} (read_only)")
    listing = (
        "select table_schema, table_name, list(column_name order by ordinal_position) "
        "from information_schema.columns where table_catalog = ? group by all order by all"
    )
    tables = con.execute(listing, ["one"]).fetchall()
    assert tables == con.execute(listing, ["two"]).fetchall()
    assert len(tables) > 40
    differing = {}
    for schema, table, columns in tables:
        kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
        one, two = (f'select {kept} from {db}."{schema}"."{table}"' for db in ("one", "two"))
        [(extra,)] = con.execute(f"select count(*) from ({one} except all {two})").fetchall()
        [(missing,)] = con.execute(f"select count(*) from ({two} except all {one})").fetchall()
        if extra or missing:
            differing[f"{schema}.{table}"] = (extra, missing)
    con.close()
    assert differing == {}


# Staging and the rejected rows, with their own tests (cautious: not those that also read
# a later model): what a test of the input contract needs built. The models after
# staging read only staging's output, which has the contract's columns.
STAGING = [
    "build", "--select", "path:models/staging", "segmentation__rejected_rows",
    "--indirect-selection", "cautious",
]  # fmt: skip


def test_missing_required_column_stops_build_with_clear_message(
    generated_inputs: Inputs, tmp_path: Path
) -> None:
    database = generated_inputs.fresh_copy(tmp_path / "missing.duckdb")
    with duckdb.connect(str(database)) as con:
        con.execute("create schema user_data")
        con.execute(
            "create table user_data.my_orders as "
            "select * exclude (order_total) from segmentation_raw.orders"
        )
    # The base model of orders stops; nothing after staging would have run.
    run = run_dbt(STAGING, database, {"segmentation__orders_relation": "user_data.my_orders"})
    assert not run.success
    message = run.messages()
    assert "segmentation: input 'orders'" in message
    assert "is missing required column 'order_total'" in message
    assert "Point the var 'segmentation__orders_relation' at a relation" in message


def test_missing_input_relation_is_named(generated_inputs: Inputs, tmp_path: Path) -> None:
    database = generated_inputs.fresh_copy(tmp_path / "absent.duckdb")
    run = run_dbt(
        ["build", "--select", "base_segmentation__customers"],
        database,
        {"segmentation__customers_relation": "user_data.no_such_table"},
    )
    assert not run.success
    assert "segmentation: input 'customers' not found" in run.messages()


def test_missing_optional_columns_become_typed_nulls(
    generated_inputs: Inputs, tmp_path: Path
) -> None:
    database = generated_inputs.fresh_copy(tmp_path / "optional.duckdb")
    with duckdb.connect(str(database)) as con:
        con.execute("create schema user_data")
        con.execute(
            "create table user_data.my_customers as "
            "select customer_id from segmentation_raw.customers"
        )
    # Staging only: a full build on customers that have only customer_id is
    # test_consumer_projects.py's tiny shop (and `make package-env-test`).
    run = run_dbt(STAGING, database, {"segmentation__customers_relation": "user_data.my_customers"})
    assert run.success, run.messages()
    types = dict(
        query(
            database,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'stg_segmentation__customers'",
        )
    )
    assert types["email"] == "VARCHAR"
    assert types["income"].startswith("DECIMAL")
    assert types["signup_at"] == "TIMESTAMP"
    assert types["birth_date"] == "DATE"
    [(non_null,)] = query(
        database,
        "select count(email) + count(income) + count(signup_at) "
        "from main_segmentation_staging.stg_segmentation__customers",
    )
    assert non_null == 0


def test_optional_inputs_switched_off_build_cleanly(built_without_optional_inputs) -> None:
    # The session's build with every optional input off (test_features.py checks it too).
    database, run = built_without_optional_inputs
    assert run.success, run.messages()
    assert run.warnings == []
    built_models = {r.node.name for r in run.results if r.node.resource_type == "model"}
    assert "stg_segmentation__orders" in built_models
    # The switched-off inputs are not read: no base model validates them...
    base_models = {name for name in built_models if name.startswith("base_segmentation__")}
    assert base_models == {"base_segmentation__customers", "base_segmentation__orders"}
    # ...and their staging models are empty typed relations (decision 0020), as is
    # everything that reduces them, so downstream SQL needs no placeholder branches.
    empty = {
        f"{STAGING_SCHEMA}.stg_segmentation__order_items": "quantity",
        f"{STAGING_SCHEMA}.stg_segmentation__events": "session_key",
        f"{STAGING_SCHEMA}.stg_segmentation__marketing_touches": "sent_at",
        f"{STAGING_SCHEMA}.stg_segmentation__customer_attributes": "attribute_value",
        f"{FEATURES_SCHEMA}.int_segmentation__events_as_of": "occurred_at",
        f"{FEATURES_SCHEMA}.int_segmentation__customer_events": "session_count",
        f"{FEATURES_SCHEMA}.int_segmentation__customer_touches": "open_rate",
        f"{FEATURES_SCHEMA}.int_segmentation__category_spend": "category_value",
    }
    for relation, column in empty.items():
        [(rows,)] = query(database, f"select count({column}) + count(*) from {relation}")
        assert rows == 0, relation
    inputs = {i for (i,) in query(database, f"select distinct input_name from {REJECTED}")}
    assert inputs == {"customers", "orders"}
