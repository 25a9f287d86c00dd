"""Bad-input battery, vars and whole inputs: every var is validated before SQL uses
it, no var or data value reaches SQL outside a quoted literal, the date vars work
when set, and empty or wholly rejected inputs stop the build with a clear message.
(The battery is the union of tests/python/test_bad_input*.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from conftest import Inputs, query, run_dbt

INJECTION = "drop table segmentation_raw.orders"

# (var, hostile value, what the message must say it expected)
BAD_VARS = [
    ("segmentation__as_of_date", f"2025-01-01' as date); {INJECTION}; --", "a date 'YYYY-MM-DD'"),
    ("segmentation__as_of_date", "2025-02-30", "a date 'YYYY-MM-DD'"),
    ("segmentation__future_cutoff", f"2026-01-01' as timestamp); {INJECTION}; --", "UTC timestamp"),
    ("segmentation__lapsed_days", f"365; {INJECTION}", "a whole number from 1 to 36500"),
    ("segmentation__event_types", "page_view", "a non-empty list of text values"),
    ("segmentation__cart_event_types", ["checkout"], "values of var 'segmentation__event_types'"),
    ("segmentation__using_events", "yes", "true or false"),
    ("segmentation__cluster_k", 1, "a whole number from 2 to 50"),
    ("segmentation__cluster_k_method", "kmeans", "one of silhouette, prediction_strength"),
    ("segmentation__age_band_edges", [30, 20], "ascending whole numbers"),
    ("segmentation__rfm_cut_points", {"recency_days": [1, 2, 3]}, "four ascending numbers"),
    ("segmentation__audience_priorities", {"rfm_segment:champions": "high"}, "whole-number"),
    ("segmentation__orders_relation", f"raw.orders; {INJECTION}", "text matching"),
    ("segmentation__holdout_share", 1.5, "a number from 0 to 0.99"),
    ("segmentation__quality_gate_severity", "fatal", "one of error, warn"),
    ("segmentation__refit", "sometimes", "true or false"),
    ("segmentation__refit_every_days", -1, "a whole number from 0 to 36500"),
    ("segmentation__refit_drift", "high", "a number from 0 to 1000"),
]


def _copy(generated_inputs: Inputs, tmp_path: Path) -> Path:
    # One file name everywhere: builds with the same vars reuse one parse (conftest.run_dbt).
    return generated_inputs.fresh_copy(tmp_path / "build.duckdb")


@pytest.mark.parametrize(("name", "value", "expected"), BAD_VARS, ids=lambda v: str(v)[:40])
def test_bad_var_stops_before_any_model_with_a_clear_message(
    generated_inputs: Inputs, tmp_path: Path, name: str, value: object, expected: str
) -> None:
    database = _copy(generated_inputs, tmp_path)
    run = run_dbt(["run-operation", "validate_settings"], database, {name: value})
    assert not run.success
    message = run.messages()
    assert f"segmentation: var '{name}'" in message or f"var '{name}'" in message, message
    assert expected in message, message
    # Nothing ran: the raw table the injections aim at is still there.
    assert query(database, "select count(*) from segmentation_raw.orders")[0][0] > 0


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"segmentation__segment_min_share": 0.5, "segmentation__segment_max_share": 0.4},
            "'segmentation__segment_min_share' (0.5) must not be above var "
            "'segmentation__segment_max_share' (0.4)",
        ),
        (
            {
                "segmentation__value_tier_top_share": 0.6,
                "segmentation__value_tier_bottom_share": 0.6,
            },
            "add up to at most 1",
        ),
    ],
    ids=["share_bounds_crossed", "value_tiers_overlap"],
)
def test_vars_that_contradict_each_other_stop_the_build(
    generated_inputs: Inputs, tmp_path: Path, variables: dict, expected: str
) -> None:
    database = _copy(generated_inputs, tmp_path)
    run = run_dbt(["build", "--select", "int_segmentation__as_of"], database, variables)
    assert not run.success
    assert expected in run.messages()


# One SQL token that may hold arbitrary text, scanned left to right: a comment,
# a string literal ('' inside) or a quoted identifier ("" inside).
QUOTED_OR_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", re.S)


def _strip_literals(sql: str) -> str:
    """SQL with every literal, quoted identifier and comment removed. A comment ends at
    the first newline, so data with a newline inside a comment would show up here."""
    return QUOTED_OR_COMMENT.sub(" ", sql)


HOSTILE_TEXT = f"x'); {INJECTION}; --"


@pytest.fixture(scope="module")
def hostile_build(generated_inputs: Inputs, tmp_path_factory: pytest.TempPathFactory):
    """A full build with valid but hostile text in vars and data, and every date var set.
    One build for both: the hostile values are statuses, categories and vocabulary, which
    no date var reads, and the date vars' values are quoted like any other."""
    work = tmp_path_factory.mktemp("hostile")
    database = _copy(generated_inputs, work)
    latest = query(
        database,
        "select max(try_cast(ordered_at as date)) from segmentation_raw.orders "
        "where try_cast(ordered_at as date) < current_date",  # not the planted future orders
    )
    as_of = latest[0][0].replace(day=1)
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update segmentation_raw.order_items set category = ? "
            "where category = (select min(category) from segmentation_raw.order_items)",
            [HOSTILE_TEXT],
        )
        con.execute(
            "update segmentation_raw.orders set status = ? where order_id in "
            "(select order_id from segmentation_raw.orders order by order_id limit 5)",
            [HOSTILE_TEXT],
        )
    variables = {
        "segmentation__holdout_salt": HOSTILE_TEXT + " \\' \\",
        "segmentation__returned_statuses": ["returned", "cancelled", "refunded", HOSTILE_TEXT],
        "segmentation__mobile_device_types": ["mobile", "tablet", "x\\'; " + INJECTION],
        "segmentation__app_platforms": ["ios_app", "android_app", 'a"b\nc -- ;'],
        "segmentation__as_of_date": as_of.isoformat(),
        "segmentation__future_cutoff": f"{as_of.isoformat()} 23:59:59",
    }
    run = run_dbt(["build"], database, variables, work_dir=work)
    return work, database, run, as_of


def test_hostile_text_in_vars_and_data_builds(hostile_build) -> None:
    _, database, run, _ = hostile_build
    assert run.success, run.messages()
    # The hostile status is kept as data, exactly as written.
    kept = query(
        database,
        "select count(*) from main_segmentation_staging.stg_segmentation__orders where status = ?",
        [HOSTILE_TEXT],
    )[0][0]
    assert kept > 0
    assert query(database, "select count(*) from segmentation_raw.orders")[0][0] > 0


def test_no_var_or_data_value_reaches_sql_unquoted(hostile_build) -> None:
    work, _, _, _ = hostile_build
    compiled = list((work / "target" / "run").rglob("*.sql"))
    compiled += list((work / "target" / "compiled").rglob("*.sql"))
    assert len(compiled) > 50
    seen = 0
    for path in compiled:
        sql = path.read_text()
        seen += INJECTION in sql
        outside = _strip_literals(sql)
        assert INJECTION not in outside, f"{path} has the injected text outside a literal"
    assert seen > 0  # the hostile values did reach the SQL, as literals


def test_as_of_and_future_cutoff_vars_build_green(hostile_build) -> None:
    """Every date var set at once (wave 1's as-of date returned a row per order)."""
    _, database, run, as_of = hostile_build
    assert run.success, run.messages()
    assert query(
        database, "select as_of_date from main_segmentation_intermediate.int_segmentation__as_of"
    ) == [(as_of,)]
    # Orders after the cut-off are rejected as future, and recency counts from the as-of date.
    late = query(
        database,
        "select count(*) from main_segmentation.segmentation__rejected_rows "
        "where input_name = 'orders' and reason_code = 'future_timestamp'",
    )[0][0]
    assert late > 0
    assert (
        query(
            database,
            "select min(recency_days) from main_segmentation.segmentation__customer_features",
        )[0][0]
        == 0
    )


EMPTY_CASES = {
    "no_customers": (
        ["delete from segmentation_raw.customers"],
        "the customers input is empty",
    ),
    "no_orders": (
        ["delete from segmentation_raw.order_items", "delete from segmentation_raw.orders"],
        "the orders input is empty",
    ),
    "every_order_rejected": (
        ["update segmentation_raw.orders set ordered_at = 'not a date'"],
        "every order was rejected",
    ),
}


@pytest.mark.parametrize("case", sorted(EMPTY_CASES))
def test_empty_inputs_stop_with_a_clear_message(
    generated_inputs: Inputs, tmp_path: Path, case: str
) -> None:
    statements, cause = EMPTY_CASES[case]
    database = _copy(generated_inputs, tmp_path)
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)
    run = run_dbt(
        ["build", "--select", "+int_segmentation__as_of", "+segmentation__rejected_rows"], database
    )
    assert not run.success
    message = run.messages()
    assert "segmentation: nothing to segment: " + cause in message, message
    # The rejected rows are still published, with input rows = accepted + rejected.
    rejected = query(
        database,
        "select count(*) from main_segmentation.segmentation__rejected_rows "
        "where input_name = 'orders'",
    )[0][0]
    raw = query(database, "select count(*) from segmentation_raw.orders")[0][0]
    accepted = query(
        database, "select count(*) from main_segmentation_staging.stg_segmentation__orders"
    )[0][0]
    assert raw == accepted + rejected
