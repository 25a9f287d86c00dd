"""Activation: membership history, the changes-only feed, audiences and holdouts,
over builds with changed data in between, an unchanged build and a full rebuild."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import copy_database, frame, query, run_dbt

MARTS = "main_segmentation"
SEGMENTS = f"{MARTS}.segmentation__customer_segments_v1"
HISTORY = f"{MARTS}.segmentation__segment_membership_history"
CHANGES = f"{MARTS}.segmentation__sync_changes"
TRANSITIONS = f"{MARTS}.segmentation__segment_transitions"
MEMBERSHIPS = f"{MARTS}.segmentation__audience_memberships"
AUDIENCES = f"{MARTS}.segmentation__audiences"
CURRENT = f"{MARTS}.segmentation__sync_current_state"
CUSTOM = "main_segmentation_intermediate.int_segmentation__custom_audience_members"
VALUE = f"{MARTS}.segmentation__customer_value"
VALUE_AUDIENCES = {
    "high_value_at_risk": "is_high_value_at_risk",
    "likely_to_buy_soon": "is_likely_to_buy_soon",
}
KINDS = {
    "cluster_segment": "segment_id",
    "rfm_segment": "rfm_segment",
    "lifecycle_stage": "lifecycle_stage",
}

LEAVER = "C0000010"  # deleted from the customers input
NEWCOMER = "C9990001"  # a new customer with orders
EMPTIED = "C0000020"  # every order deleted: no longer clustered; given back later
PRIORITIES = {"lifecycle_stage:at_risk": 5, "lifecycle_stage:lapsed": 6}


def labels(database: Path) -> pd.DataFrame:
    """Every customer's labels, one row per (customer, slot), read from the public
    segment mart, the custom audiences and the predicted-value audiences of the customer
    value mart: what history and changes must follow."""
    segments = frame(database, f"select * from {SEGMENTS}")
    parts = []
    for kind, column in KINDS.items():
        part = segments[["customer_id", column]].dropna()
        parts.append(
            pd.DataFrame(
                {
                    "customer_id": part["customer_id"],
                    "label_kind": kind,
                    "slot": kind,
                    "label": part[column].astype("int64").astype(str)
                    if kind == "cluster_segment"
                    else part[column],
                }
            )
        )
    custom = frame(database, f"select customer_id, audience_key from {CUSTOM}")
    parts.append(
        pd.DataFrame(
            {
                "customer_id": custom["customer_id"],
                "label_kind": "audience",
                "slot": "audience:" + custom["audience_key"],
                "label": custom["audience_key"],
            }
        )
    )
    value = frame(database, f"select * from {VALUE}")
    for label, column in VALUE_AUDIENCES.items():
        members = value.loc[value[column].astype(bool), "customer_id"]
        parts.append(
            pd.DataFrame(
                {
                    "customer_id": members,
                    "label_kind": "predicted_value",
                    "slot": "predicted_value:" + label,
                    "label": label,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def run_time(database: Path) -> pd.Timestamp:
    [(at,)] = query(database, f"select max(segmented_at) from {SEGMENTS}")
    return pd.Timestamp(at)


@dataclass
class Build:
    labels: pd.DataFrame
    at: pd.Timestamp
    history: pd.DataFrame
    changes: pd.DataFrame
    memberships: pd.DataFrame


def build(database: Path, work: Path, *args: str, variables: dict | None = None) -> Build:
    run = run_dbt(["build", *args], database, variables=variables, work_dir=work)
    assert run.success, run.messages()
    return read_build(database)


def read_build(database: Path) -> Build:
    """What the last build of `database` published."""
    return Build(
        labels(database),
        run_time(database),
        frame(database, f"select * from {HISTORY}"),
        frame(database, f"select * from {CHANGES}"),
        frame(database, f"select * from {MEMBERSHIPS}"),
    )


def change_data(database: Path) -> pd.DataFrame:
    """One customer leaves, one arrives with orders, one loses every order,
    and a few buy again (inside the old as-of date, so others keep recency).
    Returns the orders taken away."""
    with duckdb.connect(str(database)) as con:
        removed = con.execute(
            "select * from segmentation_raw.orders where customer_id = ?", [EMPTIED]
        ).df()
        [(last,)] = con.execute(
            "select max(ordered_at) from segmentation_raw.orders where ordered_at < '2027'"
        ).fetchall()
        con.execute("delete from segmentation_raw.customers where customer_id = ?", [LEAVER])
        con.execute("delete from segmentation_raw.orders where customer_id = ?", [EMPTIED])
        con.execute(
            """
            insert into segmentation_raw.customers
            select ? as customer_id, 'new@example.com', signup_at, birth_date, gender, income,
                   education, occupation, country, region, city, postal_code, acquisition_channel
            from segmentation_raw.customers where customer_id = 'C0000001'
            """,
            [NEWCOMER],
        )
        con.execute(
            """
            insert into segmentation_raw.orders
            select 'NEW' || customer_id || '-' || n, customer_id, ?, '2400.00', '0', 'web',
                   'completed'
            from (values (?), ('C0000030'), ('C0000031'), ('C0000032'), ('C0000033'))
                     as buyers(customer_id),
                 range(6) as orders(n)
            """,
            [last, NEWCOMER],
        )
    return removed


def give_back(database: Path, orders: pd.DataFrame) -> None:
    with duckdb.connect(str(database)) as con:
        con.register("returned_orders", orders)
        con.execute("insert into segmentation_raw.orders select * from returned_orders")


def _both_builds(first: Build, second: Build) -> pd.DataFrame:
    """Each (customer, slot) with its label in either build: label_1, label_2."""
    return first.labels.merge(
        second.labels,
        on=["customer_id", "slot", "label_kind"],
        how="outer",
        suffixes=("_1", "_2"),
    )


def expected_history(first: Build, second: Build) -> pd.DataFrame:
    """History after two builds, from the labels alone."""
    both = _both_builds(first, second)
    rows = []
    for row in both.itertuples():
        before, after = row.label_1, row.label_2
        if isinstance(before, str):
            ends = None if before == after else second.at
            rows.append((row.customer_id, row.label_kind, before, first.at, ends))
        if isinstance(after, str) and before != after:
            rows.append((row.customer_id, row.label_kind, after, second.at, None))
    return _sorted(
        pd.DataFrame(rows, columns=["customer_id", "label_kind", "label", "valid_from", "valid_to"])
    )


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    table["valid_to"] = pd.to_datetime(table["valid_to"])
    table["valid_from"] = pd.to_datetime(table["valid_from"])
    order = ["customer_id", "label_kind", "label", "valid_from"]
    return table.sort_values(order).reset_index(drop=True)[[*order, "valid_to"]]


def copy_of_first_build(built, work: Path) -> tuple[Path, Build]:
    """The first build: a copy of the session's `built`, a full build of the generated
    inputs with the default vars (what a first `dbt build` here would be)."""
    source, run = built
    assert run.success, run.messages()
    database = copy_database(source, work / "build.duckdb")
    return database, read_build(database)


@pytest.fixture(scope="module")
def builds(built, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("activation")
    database, first = copy_of_first_build(built, work)
    removed = change_data(database)
    second = build(database, work)
    third = build(database, work)
    transitions = frame(database, f"select * from {TRANSITIONS}")
    current = frame(database, f"select * from {CURRENT}")
    rebuilt = build(database, work, "--full-refresh")
    give_back(database, removed)
    returned = build(database, work, variables={"segmentation__audience_priorities": PRIORITIES})
    return {
        "first": first,
        "second": second,
        "third": third,
        "rebuilt": rebuilt,
        "returned": returned,
        "transitions": transitions,
        "current": current,
        "database": database,
    }


def test_planted_changes_happened(builds: dict) -> None:
    before = builds["first"].labels.groupby("customer_id")["slot"].apply(set)
    after = builds["second"].labels.groupby("customer_id")["slot"].apply(set)
    assert LEAVER in before.index and LEAVER not in after.index
    assert NEWCOMER not in before.index and "cluster_segment" in after[NEWCOMER]
    assert "cluster_segment" in before[EMPTIED] and "cluster_segment" not in after[EMPTIED]


def test_history_is_exact_after_a_change(builds: dict) -> None:
    first, second = builds["first"], builds["second"]
    expected = expected_history(first, second)
    actual = _sorted(second.history)
    pd.testing.assert_frame_equal(actual, expected)
    # Unchanged customers have one row, still open, from the first build.
    moved = set(second.changes.loc[second.changes["changed_at"] == second.at, "customer_id"])
    untouched = second.history[~second.history["customer_id"].isin(moved)]
    assert len(untouched) > 0
    assert (untouched["valid_from"] == first.at).all() and untouched["valid_to"].isna().all()
    # The leaver's labels are all closed at the second build.
    leaver = second.history[second.history["customer_id"] == LEAVER]
    assert (
        len(leaver) == (first.labels["customer_id"] == LEAVER).sum() >= 3
        and (leaver["valid_to"] == second.at).all()
        and not leaver["is_current"].any()
    )


def test_change_feed_holds_exactly_the_changed_labels(builds: dict) -> None:
    first, second = builds["first"], builds["second"]
    both = _both_builds(first, second)
    differ = both[both["label_1"].fillna("") != both["label_2"].fillna("")]
    expected = {
        (
            r.customer_id,
            r.label_kind,
            _text(r.label_1),
            _text(r.label_2),
            _change_type(r.label_1, r.label_2),
        )
        for r in differ.itertuples()
    }
    feed = second.changes[second.changes["changed_at"] == second.at]
    actual = {
        (r.customer_id, r.label_kind, _text(r.old_label), _text(r.new_label), r.change_type)
        for r in feed.itertuples()
    }
    assert len(feed) == len(actual)  # one row per changed label
    assert actual == expected
    kinds = {change[4] for change in actual}
    assert kinds == {"entered", "exited", "moved"}, kinds
    assert (LEAVER, "cluster_segment") in {(c[0], c[1]) for c in actual if c[4] == "exited"}
    assert (NEWCOMER, "cluster_segment") in {(c[0], c[1]) for c in actual if c[4] == "entered"}
    # Changes recorded by the first build keep their keys and values.
    earlier = second.changes[second.changes["changed_at"] == first.at].sort_values("change_id")
    pd.testing.assert_frame_equal(_plain(earlier), _plain(first.changes.sort_values("change_id")))
    # The first build records every label as entered.
    assert (first.changes["change_type"] == "entered").all()
    assert len(first.changes) == len(first.labels)


def test_a_build_without_data_changes_adds_no_change_and_no_history(builds: dict) -> None:
    second, third = builds["second"], builds["third"]
    assert third.at > second.at
    assert (third.changes["changed_at"] == third.at).sum() == 0
    pd.testing.assert_frame_equal(
        third.changes.sort_values("change_id").reset_index(drop=True),
        second.changes.sort_values("change_id").reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(_sorted(third.history), _sorted(second.history))


def _memberships(found: Build) -> pd.DataFrame:
    columns = ["audience_id", "customer_id", "is_holdout", "entered_at"]
    return found.memberships[columns].sort_values(columns[:2]).reset_index(drop=True)


def test_holdouts_are_stable_across_runs_and_a_full_rebuild(builds: dict) -> None:
    second, third, rebuilt = (_memberships(builds[n]) for n in ("second", "third", "rebuilt"))
    pd.testing.assert_frame_equal(third, second)
    pd.testing.assert_frame_equal(rebuilt, second)  # the snapshot survives --full-refresh
    # Customers who stayed in an audience keep their flag from the first build.
    first = _memberships(builds["first"])
    kept = first.merge(second, on=["audience_id", "customer_id"], suffixes=("_1", "_2"))
    assert len(kept) > 0.9 * len(first)
    assert (kept["is_holdout_1"] == kept["is_holdout_2"]).all()


def test_holdout_is_the_documented_hash(builds: dict) -> None:
    """Recomputed outside the warehouse: md5('segmentation|<audience>|<customer>')."""
    database = builds["database"]
    shares = dict(query(database, f"select audience_id, holdout_share from {AUDIENCES}"))
    members = _memberships(builds["rebuilt"])

    def held_out(row) -> bool:
        digest = hashlib.md5(
            f"segmentation|{row.audience_id}|{row.customer_id}".encode()
        ).hexdigest()
        return int(digest[:4], 16) / 65536 < shares[row.audience_id]

    recomputed = [held_out(row) for row in members.itertuples()]
    assert recomputed == members["is_holdout"].tolist()
    share = members["is_holdout"].mean()
    assert 0.06 <= share <= 0.16, share  # mostly 10%, app_adoption 20%


def test_transitions_count_every_customer_once_per_run(builds: dict) -> None:
    transitions = builds["transitions"]
    second = builds["second"]
    at_second = transitions[transitions["run_at"] == second.at]
    assert (at_second["previous_run_at"] == builds["first"].at).all()
    before = builds["first"].labels
    after = second.labels
    for kind in KINDS:
        rows = at_second[at_second["label_kind"] == kind]
        # The 'from' side adds up to the customers who had a label before, the
        # 'to' side to those who have one after.
        assert (
            rows.loc[rows["from_label"].notna(), "customer_count"].sum()
            == (before["label_kind"] == kind).sum()
        )
        assert (
            rows.loc[rows["to_label"].notna(), "customer_count"].sum()
            == (after["label_kind"] == kind).sum()
        )
    moved = at_second[at_second["transition_type"] != "stayed"]
    feed = second.changes[
        (second.changes["changed_at"] == second.at) & second.changes["label_kind"].isin(KINDS)
    ]  # transitions cover the cluster, RFM and lifecycle labels
    assert moved["customer_count"].sum() == len(feed)


def test_audiences_and_current_state(builds: dict) -> None:
    database = builds["database"]
    audiences = frame(database, f"select * from {AUDIENCES}").set_index("audience_id")
    members = builds["returned"].memberships  # the last build
    counts = members.groupby("audience_id").size()
    assert (audiences.loc[counts.index, "member_count"] == counts).all()
    assert {"audience:vip_win_back", "audience:second_order_nudge", "audience:app_adoption"} <= set(
        audiences.index
    )
    assert audiences.loc["audience:app_adoption", "holdout_share"] == pytest.approx(0.2)
    # One priority audience at most per customer, and only ranked audiences win.
    priority = members[members["is_priority_audience"]]
    assert priority["customer_id"].is_unique
    assert audiences.loc[priority["audience_id"].unique(), "priority"].notna().all()
    current = builds["current"]
    assert current["customer_id"].is_unique
    assert set(current["customer_id"]) == set(builds["second"].labels["customer_id"])
    assert LEAVER not in set(current["customer_id"])


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns with None for missing: an all-null column reads back as
    object, the same column with values as a string dtype."""
    table = table.reset_index(drop=True).astype(object)
    return table.where(table.notna(), None)


def test_a_customer_who_comes_back_enters_again(builds: dict) -> None:
    first, second, returned = builds["first"], builds["second"], builds["returned"]
    history = returned.history
    rows = history[
        (history["customer_id"] == EMPTIED) & (history["label_kind"] == "cluster_segment")
    ]
    rows = rows.sort_values("valid_from")
    assert rows["valid_from"].tolist() == [first.at, returned.at]
    assert rows["valid_to"].iloc[0] == second.at and pd.isna(rows["valid_to"].iloc[1])
    change = returned.changes[
        (returned.changes["customer_id"] == EMPTIED)
        & (returned.changes["label_kind"] == "cluster_segment")
        & (returned.changes["changed_at"] == returned.at)
    ]
    assert change["change_type"].tolist() == ["entered"]
    assert change["old_label"].isna().all()


def test_built_in_audiences_take_priorities_from_the_var(builds: dict) -> None:
    members = builds["returned"].memberships
    priority = members[members["is_priority_audience"]].set_index("customer_id")["audience_id"]
    assert priority.index.is_unique
    assert (priority == "lifecycle_stage:at_risk").sum() > 0
    # A user-defined audience of priority 1 still wins over the var's 5 and 6.
    vip = set(members.loc[members["audience_id"] == "audience:vip_win_back", "customer_id"])
    assert vip and all(priority[customer] == "audience:vip_win_back" for customer in vip)
    before = builds["rebuilt"].memberships
    assert not before.loc[
        before["audience_id"].str.startswith("lifecycle_stage"), "is_priority_audience"
    ].any()


def test_a_priority_that_is_not_a_number_stops_the_build(builds: dict, tmp_path: Path) -> None:
    run = run_dbt(
        ["compile", "--select", "int_segmentation__audience_catalog"],
        builds["database"],
        variables={"segmentation__audience_priorities": {"lifecycle_stage:new": "high"}},
        work_dir=tmp_path,
    )
    assert not run.success
    message = run.messages()
    assert "segmentation: var 'segmentation__audience_priorities'" in message
    assert "whole-number priorities; 'lifecycle_stage:new' has 'high'" in message


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _change_type(before, after) -> str:
    if not isinstance(before, str):
        return "entered"
    if not isinstance(after, str):
        return "exited"
    return "moved"
