"""Incremental equals full (design.md, issue 16 point 4): after each of five daily batches,
the incremental `dbt build` gives every public mart exactly as `dbt build --full-refresh`
does on a copy of the same database (docs/incremental.md).

The shop: 400 generated customers (seed 7, CSV) loaded as the raw schema, `loaded_at`
added to orders, order_items and marketing_touches (filled for every row), events left
without it so that their new rows are found by time within the lookback; then the days
of segmentation_demo/daily_batches.py. Each day: the batch, `dbt build` on the
incremental database, a copy of that database, `dbt build --full-refresh` on the copy,
and every public mart compared row for row (scripts/incremental_sequence.py says which
run-time columns may differ and why); then the day's own facts are checked (the duplicate
and unknown_customer rows rejected, the erased customer gone with their labels closed),
the feature state models recomputed exactly the customers whose input rows the day changed
and deleted the rows of those left with none (scripts/incremental_sequence.py's
check_feature_state), and on the unchanged day 5 every mart equals day 4's. The variant
with `loaded_at` on events too runs with SEGMENTATION_SEQUENCE_VARIANTS=all (make bench).

Unit tests are left out of these builds (`--exclude-resource-type unit_test`): they do
not read the data, and dbt-test runs them; data tests stay in the incremental builds, as in
a scheduled build, and are left out of the full rebuilds, the reference. k is fixed (6, the
base shop's choice) so that each fit is quick.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, copy_database, load_module, run_dbt

from segmentation_demo.daily_batches import DAYS, Batches
from segmentation_demo.generate import generate
from segmentation_demo.load import load

sequence = load_module(ROOT / "scripts" / "incremental_sequence.py", "incremental_sequence")
fingerprints = load_module(ROOT / "scripts" / "mart_fingerprints.py", "mart_fingerprints_seq")

CUSTOMERS = sequence.CUSTOMERS
SEED = sequence.SEED
SCHEMA = "main_segmentation"
BUILD = ["build", "--exclude-resource-type", "unit_test"]
# The full rebuild is the reference: its data tests prove nothing here (the incremental
# build's do), and leaving them out saves a fifth of the test's time.
FULL_BUILD = ["build", "--exclude-resource-type", "unit_test", "test"]
# k fixed at the base shop's choice: the fit takes a fraction of the time of choosing k,
# and the choice of k is not what this test is about.
VARS = {"segmentation__cluster_k": 6}
# variant -> whether events carry loaded_at (the other inputs always do)
VARIANTS = {"events_by_lookback": False, "all_loaded_at": True}
SELECTED = (
    list(VARIANTS)
    if os.environ.get("SEGMENTATION_SEQUENCE_VARIANTS") == "all"
    else ["events_by_lookback"]
)


def build(args: list[str], database: Path, what: str) -> float:
    started = time.perf_counter()
    run = run_dbt(args, database, VARS)
    assert run.success, f"{what} failed:\n{run.messages()}"
    return time.perf_counter() - started


def compare(left: Path, right: Path, names: tuple[str, str]) -> list[str]:
    # dbt-duckdb keeps each file it built open in this process, and DuckDB attaches a file
    # to one database only: the two sides are compared on copies.
    work = left.parents[1] / "compare"
    work.mkdir(exist_ok=True)
    left, right = copy_database(left, work / "a.duckdb"), copy_database(right, work / "b.duckdb")
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as side_a")
        con.execute(f"attach '{right}' as side_b")
        present = sequence.mart_names_in(con, "side_a", SCHEMA)
        marts = fingerprints.public_marts()
        missing = [mart for mart in marts if mart not in present]
        assert not missing, f"public marts missing from {left}: {missing}"
        return sequence.compare_marts(con, marts, ("side_a", SCHEMA), ("side_b", SCHEMA), names)


def check(database: Path, record, before: dict) -> tuple[list[str], dict]:
    with duckdb.connect(str(database)) as con:
        return sequence.check_day(con, database.stem, SCHEMA, record, before)


@pytest.mark.parametrize("variant", SELECTED)
def test_incremental_builds_equal_full_refresh(variant: str, tmp_path: Path) -> None:
    generate(tmp_path / "data", customers=CUSTOMERS, seed=SEED, fmt="csv")
    # One file name on every side: dbt parses once, and the names in the marts agree.
    incremental = tmp_path / "incremental" / "seq.duckdb"
    incremental.parent.mkdir()
    load(tmp_path / "data", incremental)
    with duckdb.connect(str(incremental)) as con:
        batches = Batches(con, "segmentation_raw", events_loaded_at=VARIANTS[variant])
        batches.prepare_base()
    timings = {"base build": build(BUILD, incremental, "the first build")}
    before: dict = {}
    for day in range(1, DAYS + 1):
        with duckdb.connect(str(incremental)) as con:
            batches.con = con
            record = batches.apply_day(day)
        timings[f"day {day} incremental"] = build(BUILD, incremental, f"day {day}'s build")
        (tmp_path / f"full_day{day}").mkdir()
        full = copy_database(incremental, tmp_path / f"full_day{day}" / "seq.duckdb")
        timings[f"day {day} full refresh"] = build(
            [*FULL_BUILD, *sequence.full_refresh_args()], full, f"day {day}'s --full-refresh build"
        )
        problems = compare(incremental, full, ("incremental", "full refresh"))
        assert not problems, (
            f"{variant}, {sequence.day_summary(record)}\nthe incremental build's marts differ "
            "from the --full-refresh build's:\n" + "\n".join(problems)
        )
        facts, before = check(incremental, record, before)
        assert not facts, f"{variant}, {sequence.day_summary(record)}:\n" + "\n".join(facts)
        if day == DAYS:
            # Nothing new on the last day: every mart as the day before left it.
            problems = compare(incremental, tmp_path / f"full_day{day - 1}" / "seq.duckdb",
                               (f"day {day}", f"day {day - 1}"))  # fmt: skip
            assert not problems, "an unchanged day changed the marts:\n" + "\n".join(problems)
    print(f"\n{variant}: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
