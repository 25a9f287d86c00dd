"""Incremental staging (docs/decisions/0024): after each day of changes to the raw inputs,
an incremental build of the staging layer stores exactly the verdicts of a
`--full-refresh` build of the same data, and it judged only a window of the rows, not
everything again. The marts after staging are compared day by day in
test_incremental_sequence.py; this file checks the staging layer itself, where a window
that is too small shows first, on a day at a time of changes of every kind."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import Inputs, copy_database, query, run_dbt

INCREMENTAL = ["orders", "order_items", "events", "marketing_touches"]
BASES = [*INCREMENTAL, "customers", "customer_attributes"]
STAGING = ["run", "--select", "staging"]
# Not compared: the build that judged a row (the full refresh judges every row anew).
VOLATILE = {"judged_at"}


def base_table(name: str) -> str:
    return f"main_segmentation_staging.base_segmentation__{name}"


def differences(incremental: Path, full: Path, name: str) -> list[tuple]:
    """Rows in one base table and not in the other (as multisets), at most five."""
    columns = [
        row[0]
        for row in query(
            incremental,
            "select column_name from information_schema.columns "
            "where table_schema = 'main_segmentation_staging' and table_name = ? "
            "order by ordinal_position",
            [f"base_segmentation__{name}"],
        )
        if row[0] not in VOLATILE
    ]
    sql = f"select {', '.join(columns)} from {base_table(name)}"
    # Each file is read on its own: dbt-duckdb keeps both open in this process.
    mine, theirs = Counter(query(incremental, sql)), Counter(query(full, sql))
    only_mine = [("incremental only", *row) for row in (mine - theirs)]
    only_theirs = [("full only", *row) for row in (theirs - mine)]
    return (only_mine + only_theirs)[:5]


def rejudged(database: Path, name: str) -> tuple[int, int]:
    """(rows judged by the latest build, all rows) of a base table."""
    table = base_table(name)
    [(latest, total)] = query(
        database,
        f"select count(*) filter (where judged_at = (select max(judged_at) from {table})),"
        f" count(*) from {table}",
    )
    return latest, total


def verdict(database: Path, name: str, where: str) -> list[str | None]:
    return [
        row[0]
        for row in query(
            database,
            f"select rejection_reason_code from {base_table(name)} where {where}"
            " order by 1 nulls first",
        )
    ]


class Day:
    """The staging build of one day: incremental, then a full refresh on a copy."""

    def __init__(self, database: Path, work: Path, number: int) -> None:
        run = run_dbt(STAGING, database)
        assert run.success, run.messages()
        self.full = copy_database(database, work / f"full_day{number}.duckdb")
        refresh = run_dbt([*STAGING, "--full-refresh"], self.full)
        assert refresh.success, refresh.messages()
        self.database = database

    def assert_same_as_full_refresh(self) -> None:
        for name in BASES:
            assert differences(self.database, self.full, name) == [], name


@pytest.fixture(scope="module")
def staged(generated_inputs: Inputs, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("incremental_staging")
    database = generated_inputs.fresh_copy(work / "incremental.duckdb")
    run = run_dbt(STAGING, database)
    assert run.success, run.messages()
    return database, work


def newest_day(database: Path) -> str:
    [(day,)] = query(
        database,
        f"select max(cast(occurred_at as date)) from {base_table('events')}"
        " where rejection_reason_code is null",
    )
    return day.isoformat()


def test_days_of_changes_equal_a_full_refresh(staged: tuple[Path, Path]) -> None:
    database, work = staged
    raw = "segmentation_raw"
    day = newest_day(database)
    [(old_order, old_customer)] = query(
        database,
        f"select order_id, customer_id from {base_table('orders')}"
        " where rejection_reason_code is null order by ordered_at, order_id limit 1",
    )
    [(old_event_customer, old_event_time)] = query(
        database,
        f"select customer_id, occurred_at from {raw}.events"
        " order by occurred_at nulls last, customer_id limit 1",
    )
    erased, orphaned = [
        row[0]
        for row in query(
            database,
            f"select customer_id from {base_table('customers')}"
            f" where rejection_reason_code is null and customer_id <> '{old_customer}'"
            f" and customer_id in (select customer_id from {base_table('events')})"
            " order by customer_id limit 2",
        )
    ]

    after = f"cast(date '{day}' + 1 as varchar)"
    # Day 1, no load time: a new customer with an order, a line and an event the day after;
    # a late event inside the lookback; an event 200 days old (outside it); an exact copy of
    # the oldest event; an order reusing the oldest order id; a line of an unknown order; a
    # customer removed from customers only (their rows become unknown_customer).
    query(
        database,
        f"""
        insert into {raw}.customers (customer_id, email, country)
            values ('CNEW1', 'new@example.com', 'DE');
        insert into {raw}.orders (order_id, customer_id, ordered_at, order_total, status)
            values ('ONEW1', 'CNEW1', {after} || ' 10:00:00', '42.00', 'completed'),
                   ('{old_order}', '{old_customer}', {after} || ' 11:00:00', '1.00', 'completed');
        insert into {raw}.order_items (order_id, category, quantity, unit_price)
            values ('ONEW1', 'books', '1', '42.00'), ('ONOPE', 'books', '1', '5.00');
        insert into {raw}.events (customer_id, occurred_at, event_type)
            values ('CNEW1', {after} || ' 09:00:00', 'page_view'),
                   ('{old_customer}', cast(date '{day}' - 2 as varchar) || ' 08:00:00', 'login'),
                   ('{old_customer}', cast(date '{day}' - 200 as varchar) || ' 08:00:00', 'login');
        insert into {raw}.events select * from {raw}.events
            where customer_id = '{old_event_customer}' and occurred_at = '{old_event_time}' limit 1;
        delete from {raw}.customers where customer_id = '{orphaned}';
        """,
    )
    first = Day(database, work, 1)
    first.assert_same_as_full_refresh()
    assert verdict(database, "orders", "order_id = 'ONEW1'") == [None]
    assert verdict(database, "orders", f"order_id = '{old_order}'") == [None, "duplicate_key"]
    assert verdict(database, "order_items", "order_id = 'ONOPE'") == ["unknown_order"]
    assert "unknown_customer" in verdict(database, "events", f"customer_id = '{orphaned}'")
    assert "duplicate_key" in verdict(
        database,
        "events",
        f"customer_id = '{old_event_customer}' and occurred_at = '{old_event_time}'",
    )
    latest, total = rejudged(database, "events")
    assert latest < total * 0.2, (
        f"day 1 judged {latest} of {total} events again: the window is everything"
    )

    # Day 2: orders get a load time (a new column: every order is judged again once), then
    # an old order is corrected in place and marked by its load time.
    query(
        database,
        f"alter table {raw}.orders add column loaded_at varchar;"
        f" update {raw}.orders set loaded_at = '2020-01-01 00:00:00'",
    )
    Day(database, work, 2).assert_same_as_full_refresh()
    assert rejudged(database, "orders")[0] == rejudged(database, "orders")[1]
    query(
        database,
        f"update {raw}.orders set status = 'returned', loaded_at = '2020-01-02 00:00:00' "
        f"where order_id = (select min(order_id) from {raw}.orders"
        f" where status = 'completed' and order_id <> '{old_order}')",
    )
    third = Day(database, work, 3)
    third.assert_same_as_full_refresh()
    latest, total = rejudged(database, "orders")
    assert latest < total * 0.2, f"day 3 judged {latest} of {total} orders again"

    # Day 4: an erasure (the customer and every row of theirs removed), and the customer
    # removed on day 1 comes back (their rows are accepted again).
    query(
        database,
        f"""
        delete from {raw}.order_items
            where order_id in (select order_id from {raw}.orders where customer_id = '{erased}');
        delete from {raw}.orders where customer_id = '{erased}';
        delete from {raw}.events where customer_id = '{erased}';
        delete from {raw}.marketing_touches where customer_id = '{erased}';
        delete from {raw}.customer_attributes where customer_id = '{erased}';
        delete from {raw}.customers where customer_id = '{erased}';
        insert into {raw}.customers (customer_id, country) values ('{orphaned}', 'FR');
        """,
    )
    Day(database, work, 4).assert_same_as_full_refresh()
    for name in INCREMENTAL:
        if name != "order_items":
            assert verdict(database, name, f"customer_id = '{erased}'") == [], name
    assert "unknown_customer" not in verdict(database, "events", f"customer_id = '{orphaned}'")

    # Day 5: nothing changed; only the lookback's days are judged again.
    Day(database, work, 5).assert_same_as_full_refresh()
    for name in ["orders", "events"]:
        latest, total = rejudged(database, name)
        assert latest < total * 0.2, f"an unchanged day judged {latest} of {total} {name} again"


def test_settings_that_decide_verdicts_judge_everything_again(staged: tuple[Path, Path]) -> None:
    """A var that changes verdicts (event types) is part of the validation key: the next
    incremental build judges every row, and rejects what the new var rejects."""
    database, work = staged
    kept = ["page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
            "checkout_start", "purchase", "app_open"]  # fmt: skip
    variables = {"segmentation__event_types": kept}
    run = run_dbt(STAGING, database, variables)
    assert run.success, run.messages()
    latest, total = rejudged(database, "events")
    assert latest == total
    assert "unknown_event_type" in verdict(database, "events", "event_type = 'login'")
    full = copy_database(database, work / "full_settings.duckdb")
    assert run_dbt([*STAGING, "--full-refresh"], full, variables).success
    assert differences(database, full, "events") == []
