"""Every public mart of the session's build matches its reference fingerprint
(tests/fixtures/public_marts_pytest.json, scripts/mart_fingerprints.py), and the
check names the mart when one value changes. No dbt build of its own: it reads
`built` and a copy of it. UPDATE_MART_FINGERPRINTS=1 rewrites the reference
(only for an intended change, justified in the commit message)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, copy_database, load_module, query

SCRIPT = ROOT / "scripts" / "mart_fingerprints.py"
REFERENCE = ROOT / "tests" / "fixtures" / "public_marts_pytest.json"
fingerprints = load_module(SCRIPT, "mart_fingerprints")


@pytest.fixture(scope="module")
def current(built) -> dict:
    database, run = built
    assert run.success, run.messages()
    # Not read-only: dbt-duckdb may still hold the file open in this process.
    with duckdb.connect(str(database)) as con:
        return fingerprints.fingerprints(con)


def test_public_marts_match_the_reference(current) -> None:
    if os.environ.get("UPDATE_MART_FINGERPRINTS"):
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        REFERENCE.write_text(fingerprints.render(current))
    problems = fingerprints.differences(json.loads(REFERENCE.read_text()), current)
    assert problems == [], "\n".join([*problems, fingerprints.REGENERATE_HINT])


def test_the_public_marts_are_the_manifests(built) -> None:
    """The script reads access from the yml files; dbt's manifest must agree."""
    database, _ = built
    manifest = json.loads((database.parent / "target" / "manifest.json").read_text())
    public = {
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    }
    assert set(fingerprints.public_marts()) == public


def test_every_excluded_or_normalised_column_exists(current) -> None:
    # A stale entry would hide nothing now but could hide a renamed column later.
    for listing in (fingerprints.RUN_DEPENDENT, fingerprints.NORMALISED):
        for mart, columns in listing.items():
            assert set(columns) <= set(current["marts"][mart]["columns"]), mart


def test_the_check_names_the_mart_whose_value_changed(built, tmp_path) -> None:
    database, _ = built
    # Another file name too: input_relation must not count as a change.
    copy = copy_database(database, tmp_path / "changed.duckdb")
    features = "main_segmentation.segmentation__customer_features"
    first_buyer = f"select min(customer_id) from {features} where recency_days is not null"
    query(
        copy,
        f"update {features} set recency_days = recency_days + 1 "
        f"where customer_id = ({first_buyer})",
    )
    checked = subprocess.run(
        [sys.executable, str(SCRIPT), "--database", str(copy), "--check", str(REFERENCE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    named = [line.strip() for line in checked.stderr.splitlines() if line.startswith("  ")]
    assert named == [
        "segmentation__customer_features: content hash differs; "
        "values differ in column(s): recency_days"
    ]


def test_the_check_reports_counts_columns_and_missing_marts(current) -> None:
    changed = json.loads(json.dumps(current))
    summary = changed["marts"]["segmentation__rfm_summary"]
    rows = summary["row_count"]
    summary["row_count"] += 1
    profiles = changed["marts"]["segmentation__segment_profiles"]
    count_type = profiles["column_types"]["customer_count"]
    profiles["columns"].remove("segment_description")
    del profiles["column_types"]["segment_description"]
    profiles["column_types"]["customer_count"] = "INTEGER"
    changed["marts"]["segmentation__audiences"] = None
    assert fingerprints.differences(current, changed) == [
        "segmentation__audiences: missing from the database",
        f"segmentation__rfm_summary: row count {rows} -> {rows + 1}",
        "segmentation__segment_profiles: columns differ: removed segment_description; "
        f"type of customer_count {count_type} -> INTEGER",
    ]
