"""Quality gates: checked before segments are published; a failure names the
segment, its figure, the bound and the var, and leaves the last good build in place."""

from __future__ import annotations

import pandas as pd
from conftest import frame, query, run_dbt

MARTS = "main_segmentation"
GATES = f"{MARTS}.segmentation__quality_gates"
SEGMENTS = f"{MARTS}.segmentation__customer_segments_v1"
# The gate vars are read from the cluster model on (its k selection and the gates), so a
# build of a copy of `built` with other gate vars rebuilds the cluster model and all after
# it; what comes before would be rebuilt from the same inputs with the same vars.
AFTER_THE_FEATURES = ["build", "--select", "segmentation__cluster_model+"]


def test_gates_pass_on_a_good_build(built) -> None:
    database, run = built
    assert run.success, run.messages()
    gates = frame(database, f"select * from {GATES}")
    [(k,)] = query(database, f"select max(k) from {MARTS}.segmentation__cluster_model")
    assert len(gates) == 3 * k  # three gates per segment
    assert gates["is_passed"].all() and gates["message"].isna().all()
    [test] = [r for r in run.results if r.node.name == "segment_quality_gates_pass"]
    assert str(test.status) == "pass"


def test_a_failed_gate_names_the_segment_and_keeps_the_last_good_build(built, tmp_path) -> None:
    database, run = built
    assert run.success, run.messages()
    query(database, "checkpoint")  # the WAL into the file, so the copy is complete
    copy = tmp_path / "gate.duckdb"
    copy.write_bytes(database.read_bytes())
    published = frame(copy, f"select * from {SEGMENTS} order by customer_id")
    changes = query(copy, f"select count(*) from {MARTS}.segmentation__sync_changes")

    failed = run_dbt(AFTER_THE_FEATURES, copy, variables={"segmentation__segment_max_share": 0.05})

    assert not failed.success
    message = failed.messages()
    assert "quality gate(s) failed" in message
    assert "of clustered customers, above the maximum of 5.0%" in message
    assert "change the var segmentation__segment_max_share" in message
    # The gate table shows the verdict of this build ...
    gates = frame(copy, f"select * from {GATES} where not is_passed")
    assert len(gates) > 0 and set(gates["gate_name"]) == {"segment_max_share"}
    for row in gates.itertuples():
        assert f"segment {row.segment_id} (" in row.message
    # ... and nothing after it was published: the segments and the sync feed are the last good ones.
    skipped = {r.node.name for r in failed.results if str(r.status) == "skipped"}
    assert {"segmentation__customer_segments", "segmentation__sync_changes"} <= skipped
    pd.testing.assert_frame_equal(
        frame(copy, f"select * from {SEGMENTS} order by customer_id"), published
    )
    assert query(copy, f"select count(*) from {MARTS}.segmentation__sync_changes") == changes


def test_a_gate_set_to_warn_publishes_and_logs(built, tmp_path) -> None:
    database, _ = built
    query(database, "checkpoint")
    copy = tmp_path / "warn.duckdb"
    copy.write_bytes(database.read_bytes())
    warned = run_dbt(
        AFTER_THE_FEATURES,
        copy,
        variables={
            "segmentation__segment_min_customers": 10**9,
            "segmentation__quality_gate_severity": "warn",
        },
    )
    assert warned.success, warned.messages()
    [test] = [r for r in warned.results if r.node.name == "segment_quality_gates_pass"]
    assert str(test.status) == "warn"
    gates = frame(copy, f"select * from {GATES} where not is_passed")
    assert set(gates["gate_name"]) == {"segment_min_customers"}
    assert gates["message"].str.contains("customers, below the minimum of 1000000000").all()


def test_a_kept_name_stays_while_true_and_is_replaced_once_false(built, tmp_path) -> None:
    database, run = built
    assert run.success, run.messages()
    query(database, "checkpoint")
    copy = tmp_path / "build.duckdb"  # built's name: the build reuses its parse
    copy.write_bytes(database.read_bytes())
    names = "main_segmentation_intermediate.int_segmentation__segment_names"
    first, second = [r[0] for r in query(copy, f"select segment_id from {names} order by 1")][:2]
    # The first segment's name states a trait that is not true; the second's stays true.
    query(
        copy,
        f"update {names} set segment_name = 'Stale name', name_trait_1 = 'no_such_feature:high' "
        f"where segment_id = {first}",
    )
    query(copy, f"update {names} set segment_name = 'Kept name' where segment_id = {second}")

    rebuilt = run_dbt(["build", "--select", "int_segmentation__segment_names+"], copy)

    assert rebuilt.success, rebuilt.messages()
    profiles = dict(
        query(copy, f"select segment_id, segment_name from {MARTS}.segmentation__segment_profiles")
    )
    assert profiles[first] != "Stale name"
    assert (
        profiles[first] == dict(query(copy, f"select segment_id, segment_name from {names}"))[first]
    )
    assert profiles[second] == "Kept name"
