"""Faults of the build itself: a build killed after any node, then a full rerun, and
a previous fit that cannot be read (docs/decisions/0015). Part of the bad-input
battery (tests/python/test_bad_input*.py): each case asserts the documented outcome
or a `segmentation:` message.

A kill is simulated by a partial build that stops after node X, run with other
vars than the rerun so that its labels differ: the rerun must publish its own
labels, stamped with its own start time, as if the killed build had never run,
unless the killed build had already written the sync feed (then its changes stay).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import frame, query, run_dbt
from test_activation import (
    CHANGES,
    HISTORY,
    Build,
    _sorted,
    build,
    change_data,
    copy_of_first_build,
    expected_history,
)

SNAPSHOT = "main_segmentation_snapshots.segmentation__customer_labels_snapshot"
RUNS = "main_segmentation.segmentation__clustering_runs"
MODEL = "main_segmentation.segmentation__cluster_model"
LABELS = "main_segmentation_intermediate.int_segmentation__customer_labels"
# The killed build ran with other lifecycle thresholds: other labels than the rerun's.
KILLED_VARS = {"segmentation__at_risk_days": 30, "segmentation__lapsed_days": 200}

# Where the build was killed: the partial builds that ran before the kill.
KILLS = {
    "after the cluster model": [["build", "--select", "+segmentation__cluster_model"]],
    # Everything a build can finish before the snapshot commits, then the snapshot.
    "after the snapshot": [
        ["build", "--exclude", "segmentation__customer_labels_snapshot+"],
        ["build", "--select", "segmentation__customer_labels_snapshot"],
    ],
    "after the history mart": [["build", "--select", "+segmentation__segment_membership_history"]],
}


@dataclass
class Previous:
    """A database after one full build, with changed inputs waiting for the next."""

    database: Path
    first: Build


@pytest.fixture(scope="module")
def previous(built, tmp_path_factory: pytest.TempPathFactory) -> Previous:
    base = tmp_path_factory.mktemp("faults")
    database, first = copy_of_first_build(built, base)
    change_data(database)
    query(database, "checkpoint")
    return Previous(database, first)


def _copy(previous: Previous, work: Path) -> Path:
    # The name of `built`'s file: builds with its vars reuse its parse (conftest.run_dbt).
    return Path(shutil.copyfile(previous.database, work / "build.duckdb"))


# Data tests run in the other files; these builds only need the tables.
NO_TESTS = ["--exclude-resource-type", "test", "unit_test"]


def _partial(database: Path, work: Path, steps: list[list[str]], variables: dict | None) -> None:
    """The nodes a killed build finished; their tests are left out (a test of a
    selected model may read a mart the partial build does not refresh)."""
    for args in steps:
        args = [*args, *NO_TESTS]
        run = run_dbt(args, database, variables=variables, work_dir=work)
        assert run.success, run.messages()


def _labels(database: Path) -> pd.DataFrame:
    return frame(database, f"select label_slot, customer_id, label from {LABELS} order by all")


def _killed_at(database: Path) -> pd.Timestamp:
    [(at,)] = query(database, f"select max(labelled_at) from {LABELS}")
    return pd.Timestamp(at)


@pytest.fixture(scope="module", params=list(KILLS))
def rerun(request, previous: Previous, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("kill")
    database = _copy(previous, work)
    _partial(database, work, KILLS[request.param], KILLED_VARS)
    killed_at = _killed_at(database) if request.param != "after the cluster model" else None
    killed_labels = _labels(database) if killed_at is not None else None
    again = build(database, work, *NO_TESTS)
    if killed_labels is not None:
        # The premise of this file: the killed build's labels are not the rerun's.
        assert not killed_labels.equals(_labels(database))
    return {"kill": request.param, "killed_at": killed_at, "again": again, "database": database}


def test_rerun_after_a_kill_publishes_its_own_changes_at_its_own_time(
    rerun: dict, previous: Previous
) -> None:
    first, again = previous.first, rerun["again"]
    # History and changes as if the killed build had never run.
    pd.testing.assert_frame_equal(_sorted(again.history), expected_history(first, again))
    times = set(again.changes["changed_at"])
    assert times == {first.at, again.at}, (rerun["kill"], times)
    # Every change of the rerun carries its start time, the segments' segmented_at.
    changed = set(again.changes.loc[again.changes["changed_at"] == again.at, "customer_id"])
    assert changed, "the inputs changed: the rerun must record changes"
    if rerun["killed_at"] is not None:
        assert rerun["killed_at"] not in times
        [(versions,)] = query(
            rerun["database"],
            f"select count(*) from {SNAPSHOT} where dbt_valid_from = ? or dbt_valid_to = ?",
            [rerun["killed_at"], rerun["killed_at"]],
        )
        assert versions == 0  # the killed build's versions were taken back


def test_rerun_after_a_kill_adds_one_clustering_run(rerun: dict, previous: Previous) -> None:
    runs = frame(rerun["database"], f"select * from {RUNS} order by run_at")
    fitted = frame(
        rerun["database"], f"select distinct fit_id, fitted_at, run_decision from {MODEL}"
    )
    assert len(runs) == 2, runs[["run_id", "run_at"]]
    # One row per published build: the first build's and the rerun's, at their start times.
    assert runs["run_at"].tolist() == [previous.first.at, rerun["again"].at]
    assert runs["fitted_at"].iloc[0] < previous.first.at + pd.Timedelta(minutes=5)
    # The second run is the rerun's decision on the fit segments are published from: the
    # inputs changed before the old as-of date, so the refit policy keeps the first fit
    # (docs/decisions/0023), also after a killed build that ran the cluster model.
    assert runs[["fit_id", "fitted_at", "run_decision"]].iloc[1].tolist() == (
        fitted.iloc[0].tolist()
    )
    assert runs["run_decision"].tolist() == ["refit", "kept"]
    assert runs["fit_id"].iloc[1] == runs["fit_id"].iloc[0]


def test_a_killed_build_that_wrote_the_sync_feed_keeps_its_changes(
    previous: Previous, tmp_path: Path
) -> None:
    """The feed is published: a sync may have sent those changes by change_id, so
    they stay, at the killed build's time; the rerun of the same data adds none."""
    database = _copy(previous, tmp_path)
    _partial(database, tmp_path, [["build", "--select", "+segmentation__sync_changes"]], None)
    killed_at = _killed_at(database)
    sent = frame(database, f"select * from {CHANGES}")
    again = build(database, tmp_path, *NO_TESTS)
    assert set(again.changes["changed_at"]) == {previous.first.at, killed_at}
    pd.testing.assert_frame_equal(
        again.changes.sort_values("change_id").reset_index(drop=True),
        sent.sort_values("change_id").reset_index(drop=True),
    )
    history = frame(database, f"select * from {HISTORY}")
    assert set(history["valid_from"]) == {previous.first.at, killed_at}
    [(runs,)] = query(database, f"select count(*) from {RUNS}")
    assert runs == 2  # the first build's run and the rerun's


@pytest.mark.parametrize(
    ("damage", "cause"),
    [
        (f"alter table {MODEL} drop column centroid", "it has no column centroid"),
    ],
)
def test_a_damaged_previous_fit_stops_the_build(
    previous: Previous, tmp_path: Path, damage: str, cause: str
) -> None:
    """Not a first fit: renumbering every segment would flip every CRM label."""
    database = _copy(previous, tmp_path)
    with duckdb.connect(str(database)) as con:
        con.execute(damage)
    run = run_dbt(["run", "--select", "segmentation__cluster_model"], database, work_dir=tmp_path)
    assert not run.success
    message = run.messages()
    assert "segmentation: cannot read the previous fit" in message
    assert '"main_segmentation"."segmentation__cluster_model"' in message and cause in message
